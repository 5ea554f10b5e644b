using System.Globalization;

namespace LoanRecovery.Bench.Load;

/// <summary>Command line of the load benchmark (see bench/README.md, "Load").</summary>
public sealed record LoadSettings(
    double Rate,
    TimeSpan Sustain,
    TimeSpan Sample,
    IReadOnlyList<double> RampRates,
    TimeSpan RampStep,
    int HistoryLoans,
    TimeSpan Quiet,
    string? JsonOut,
    string? MarkdownOut,
    string LogDirectory)
{
    public static LoadSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        double Number(string name, double fallback) =>
            values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) is var d && d > 0 ? d
                : throw new ArgumentException($"--{name} must be above 0") : fallback;
        var rate = Number("rate", 16);
        var ramp = values.TryGetValue("ramp-rates", out var list)
            ? list.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray()
            : [rate / 2, rate, rate * 1.5, rate * 2, rate * 3, rate * 4];
        return new LoadSettings(
            Rate: rate,
            Sustain: TimeSpan.FromSeconds(Number("sustain-seconds", 600)),
            Sample: TimeSpan.FromSeconds(Number("sample-seconds", 5)),
            RampRates: ramp,
            RampStep: TimeSpan.FromSeconds(Number("ramp-step-seconds", 45)),
            HistoryLoans: (int)Number("history-loans", 2000),
            Quiet: TimeSpan.FromSeconds(Number("quiet-seconds", 60)),
            JsonOut: values.GetValueOrDefault("json-out"),
            MarkdownOut: values.GetValueOrDefault("markdown-out"),
            LogDirectory: values.GetValueOrDefault("log-dir") ?? Path.Combine(Path.GetTempPath(), "loanrecovery-load-logs"));
    }
}
