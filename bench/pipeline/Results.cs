using System.Globalization;
using System.Text;
using LoanRecovery.Ingestion;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>The sizes of a run, from the command line (<c>--name value</c>); each has a default that fits a 2-core machine.</summary>
public sealed record PipelineBenchSettings(
    int RawMessages,
    int RawPublishesInFlight,
    int PatternPayments,
    int Prefetch,
    int HistoryLoans,
    int WarmupPayments,
    int ThroughputPayments,
    TimeSpan LatencySeconds,
    TimeSpan SampleInterval,
    TimeSpan Quiet,
    int? IngestionPaymentPartitions,
    string? JsonOut,
    string? MarkdownOut)
{
    public static PipelineBenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        int Int(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Seconds(string name, double fallback) => values.Remove(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new PipelineBenchSettings(
            RawMessages: Int("raw-messages", 20_000),
            RawPublishesInFlight: Int("raw-in-flight", 500),
            PatternPayments: Int("pattern-payments", 5_000),
            Prefetch: Int("prefetch", 32),
            HistoryLoans: Int("history-loans", 2_000),
            WarmupPayments: Int("warmup-payments", 200),
            ThroughputPayments: Int("payments", 3_000),
            LatencySeconds: TimeSpan.FromSeconds(Seconds("latency-seconds", 60)),
            SampleInterval: TimeSpan.FromSeconds(Seconds("sample-seconds", 1)),
            Quiet: TimeSpan.FromSeconds(Seconds("quiet-seconds", 60)),
            // A what-if, not the product: Ingestion consumes core banking payments one at a time to keep their order.
            IngestionPaymentPartitions: values.ContainsKey("ingestion-payment-partitions") ? Int("ingestion-payment-partitions", 1) : (int?)null,
            JsonOut: values.Remove("json-out", out var json) ? json : null,
            MarkdownOut: values.Remove("markdown-out", out var markdown) ? markdown : null);
        if (values.Count > 0)
            throw new ArgumentException("unknown option(s): " + string.Join(", ", values.Keys.Select(k => "--" + k)));
        return settings;
    }
}

/// <summary>
/// Payments published at once and the StrategyAssigned heard for them. <c>Sustained</c> is the rate between the 10th and
/// the 90th percentile of arrivals (the pipeline full, without its filling and draining); <c>Overall</c> is every strategy
/// heard over the time from the first publish to the last strategy.
/// </summary>
public sealed record ThroughputResult(int Payments, int Heard, double PublishSeconds, double LastHeardSeconds, double OverallPerSecond,
    double SustainedPerSecond, CpuUse Cpu, IReadOnlyList<Backlog> Backlogs)
{
    public static ThroughputResult Of(int payments, int heard, double publishSeconds, double[] arrivalSeconds, CpuUse cpu, IReadOnlyList<Backlog> backlogs)
    {
        if (arrivalSeconds.Length < 10)
            throw new InvalidOperationException($"only {arrivalSeconds.Length} strategies were heard: nothing to measure");
        var last = arrivalSeconds[^1];
        int p10 = (int)(arrivalSeconds.Length * 0.1), p90 = (int)(arrivalSeconds.Length * 0.9);
        var sustained = (p90 - p10) / (arrivalSeconds[p90] - arrivalSeconds[p10]);
        return new ThroughputResult(payments, heard, publishSeconds, last, arrivalSeconds.Length / last, sustained, cpu, backlogs);
    }
}

/// <summary>Payment→StrategyAssigned latency at a fixed offered load (nearest-rank percentiles over the strategies heard).</summary>
public sealed record LatencyResult(double TargetPerSecond, double OfferedPerSecond, int Payments, int Heard, double P50Ms, double P95Ms,
    double P99Ms, double MaxMs, CpuUse Cpu, IReadOnlyList<Backlog> Backlogs)
{
    public static LatencyResult Of(double target, double offered, int payments, int heard, double[] sortedMs, CpuUse cpu, IReadOnlyList<Backlog> backlogs)
    {
        if (sortedMs.Length == 0)
            throw new InvalidOperationException("no strategy was heard: no latency to measure");
        double Rank(double p) => sortedMs[Math.Clamp((int)Math.Ceiling(p * sortedMs.Length) - 1, 0, sortedMs.Length - 1)];
        return new LatencyResult(target, offered, payments, heard, Rank(0.50), Rank(0.95), Rank(0.99), sortedMs[^1], cpu, backlogs);
    }
}

public sealed record PipelineBenchResult(DateTimeOffset At, int Cores, string Model, PipelineBenchSettings Settings, RawHopResult RawHopBefore,
    MessagePatternResult MessagePattern, RawHopResult RawHopAfter, ThroughputResult Throughput, LatencyResult Latency)
{
    /// <summary>The pipeline's sustained rate as a share of the raw hop measured before it (same broker, same run).</summary>
    public double ShareOfRawHop => Throughput.SustainedPerSecond / RawHopBefore.PerSecond;

    /// <summary>The message pattern alone (empty consumers) as a share of the raw hop: the most any pipeline of that pattern could reach.</summary>
    public double PatternShareOfRawHop => MessagePattern.PerSecond / RawHopBefore.PerSecond;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        string Cpu(CpuUse c) => $"machine CPU busy {c.MachineBusyShare:P0}, this process {c.ProcessCores:0.00} cores, load average {c.LoadAverageBefore} → {c.LoadAverageAfter}";
        string Backlogs(IReadOnlyList<Backlog> b) => b.Count == 0 ? "none seen"
            : string.Join("; ", b.Take(8).Select(x => $"`{x.Where}` max {x.Max:N0}, mean {x.Mean:N0}"));
        md.AppendLine($"Run of {At:yyyy-MM-dd HH:mm zzz}, {Cores} cores; cold-start model {Model}.");
        md.AppendLine();
        md.AppendLine("| figure | value | target | met |");
        md.AppendLine("|---|---:|---|---|");
        md.AppendLine($"| raw MassTransit hop, before the pipeline (msg/s) | {RawHopBefore.PerSecond:N0} | | |");
        md.AppendLine($"| raw MassTransit hop, after the pipeline, services idle (msg/s) | {RawHopAfter.PerSecond:N0} | | |");
        md.AppendLine($"| the pipeline's message pattern, empty consumers ({MessagePattern.PublishesPerPayment} publishes, {MessagePattern.DeliveriesPerPayment} deliveries a payment; payments/s) | {MessagePattern.PerSecond:N1} ({PatternShareOfRawHop:P1} of the raw hop) | | |");
        md.AppendLine($"| pipeline, sustained (payments/s to StrategyAssigned, 10th–90th percentile of arrivals) | {Throughput.SustainedPerSecond:N1} | ≥ ¼ of the raw hop ({RawHopBefore.PerSecond / 4:N0}) | {(ShareOfRawHop >= 0.25 ? "yes" : "**no**")} |");
        md.AppendLine($"| pipeline, overall ({Throughput.Heard:N0} of {Throughput.Payments:N0} heard in {Throughput.LastHeardSeconds:N1} s; published in {Throughput.PublishSeconds:N1} s) | {Throughput.OverallPerSecond:N1} | | |");
        md.AppendLine($"| pipeline / raw hop | {ShareOfRawHop:P1} | ≥ 25% | {(ShareOfRawHop >= 0.25 ? "yes" : "**no**")} |");
        md.AppendLine($"| pipeline / its message pattern with empty consumers | {Throughput.SustainedPerSecond / MessagePattern.PerSecond:P1} | | |");
        md.AppendLine($"| offered load (payments/s; target half the sustained rate) | {Latency.OfferedPerSecond:N1} (target {Latency.TargetPerSecond:N1}) | | |");
        md.AppendLine($"| payment→StrategyAssigned p50 / p95 / p99 / max (ms; {Latency.Heard:N0} of {Latency.Payments:N0} heard) | {Latency.P50Ms:N0} / {Latency.P95Ms:N0} / {Latency.P99Ms:N0} / {Latency.MaxMs:N0} | p99 < 500 | {(Latency.P99Ms < 500 ? "yes" : "**no**")} |");
        md.AppendLine();
        md.AppendLine($"- Throughput phase: {Cpu(Throughput.Cpu)}.");
        md.AppendLine($"  Backlogs (largest mean first): {Backlogs(Throughput.Backlogs)}.");
        md.AppendLine($"- Latency phase: {Cpu(Latency.Cpu)}.");
        md.AppendLine($"  Backlogs: {Backlogs(Latency.Backlogs)}.");
        md.AppendLine($"- Settings: raw hop {RawHopBefore.Messages:N0} messages, {RawHopBefore.PublishesInFlight} publishes in flight, prefetch {RawHopBefore.Prefetch}; message pattern {MessagePattern.Payments:N0} payments; " +
            $"history {Settings.HistoryLoans:N0} loans; warm-up {Settings.WarmupPayments:N0}; throughput {Settings.ThroughputPayments:N0} payments; " +
            $"latency {Settings.LatencySeconds.TotalSeconds:0} s of offered load; Ingestion payment partitions " +
            (Settings.IngestionPaymentPartitions is { } c ? $"{c}" : $"the service's own ({new IngestionOptions().PaymentPartitions})") + ".");
        return md.ToString();
    }
}
