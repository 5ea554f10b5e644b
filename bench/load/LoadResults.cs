using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LoanRecovery.Bench.Load;

/// <summary>Payments→strategies over one stretch of time: those whose strategy was heard in it, and how long each took.</summary>
public sealed record Window(double FromSeconds, double ToSeconds, int Published, int Heard, double StrategiesPerSecond, double? P50Ms, double? P95Ms, double? P99Ms,
    int QueueDepth, string DeepestQueue, int UnsentOutbox, IReadOnlyDictionary<string, double?> MemoryMiB, IReadOnlyDictionary<string, double> CpuCores);

/// <summary>A phase in figures.</summary>
public sealed record PhaseSummary(string Name, double OfferedRate, double PublishedRate, int Payments, int Heard, double SustainedStrategiesPerSecond,
    double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs, int MaxQueueDepth, string DeepestQueue, IReadOnlyDictionary<string, double> PeakMemoryMiB,
    IReadOnlyDictionary<string, double> MeanCpuCores, IReadOnlyList<Window> Windows)
{
    public static PhaseSummary Of(PhaseRecord phase, TimeSpan window)
    {
        double Seconds(long at) => Stopwatch.GetElapsedTime(phase.StartedAt, at).TotalSeconds;
        var heard = phase.HeardAt
            .Select((h, i) => (At: h, PublishedAt: phase.PublishedAt[i]))
            .Where(p => p.At is not null)
            .Select(p => (Arrived: Seconds(p.At!.Value), LatencyMs: Stopwatch.GetElapsedTime(p.PublishedAt, p.At!.Value).TotalMilliseconds))
            .ToArray();
        var published = phase.PublishedAt.Select(Seconds).ToArray();
        var end = Math.Max(phase.PublishSeconds, heard.Length > 0 ? heard.Max(h => h.Arrived) : 0);
        var windows = new List<Window>();
        for (var from = 0.0; from < end; from += window.TotalSeconds)
        {
            var to = from + window.TotalSeconds;
            var inWindow = heard.Where(h => h.Arrived >= from && h.Arrived < to).Select(h => h.LatencyMs).Order().ToArray();
            var samples = phase.Samples.Where(s => s.Seconds >= from && s.Seconds < to).ToList();
            var deepest = samples.OrderByDescending(s => s.DeepestQueueDepth).FirstOrDefault();
            windows.Add(new Window(from, to, published.Count(p => p >= from && p < to), inWindow.Length, inWindow.Length / window.TotalSeconds,
                Percentile(inWindow, 0.50), Percentile(inWindow, 0.95), Percentile(inWindow, 0.99),
                samples.Count > 0 ? samples.Max(s => s.QueueDepthByService.Values.Sum()) : 0,
                deepest?.DeepestQueue ?? "-", samples.Count > 0 ? samples.Max(s => s.UnsentOutbox) : 0,
                samples.LastOrDefault()?.MemoryMiB ?? new Dictionary<string, double?>(),
                samples.Count > 0 ? samples.SelectMany(s => s.CpuCores).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Average(c => c.Value)) : new Dictionary<string, double>()));
        }
        var latencies = heard.Select(h => h.LatencyMs).Order().ToArray();
        // Sustained: strategies heard while payments were being offered, over that time (no filling, no draining tail).
        var sustained = heard.Count(h => h.Arrived <= phase.PublishSeconds) / phase.PublishSeconds;
        var deepestOverall = phase.Samples.OrderByDescending(s => s.DeepestQueueDepth).FirstOrDefault();
        return new PhaseSummary(phase.Name, phase.OfferedRate, phase.PublishedAt.Length / phase.PublishSeconds, phase.PublishedAt.Length, heard.Length, sustained,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : null,
            phase.Samples.Count > 0 ? phase.Samples.Max(s => s.QueueDepthByService.Values.Sum()) : 0,
            deepestOverall?.DeepestQueue ?? "-",
            phase.Samples.SelectMany(s => s.MemoryMiB).Where(m => m.Value is not null).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Max(m => m.Value!.Value)),
            phase.Samples.SelectMany(s => s.CpuCores).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Average(c => c.Value)),
            windows);
    }

    /// <summary>Nearest-rank percentile of sorted values, or null when there are none.</summary>
    public static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>The whole run: the sustained phase, the ramp, and the rate at which p99 crosses one second.</summary>
public sealed record LoadBenchResult(DateTimeOffset At, string Model, LoadSettings Settings, PhaseSummary Sustained, IReadOnlyList<PhaseSummary> Ramp,
    IReadOnlyList<string> ExitedServices)
{
    public const double LatencyLimitMs = 1000;

    /// <summary>
    /// The offered rate at which p99 first exceeds one second, interpolated linearly between the last step under it and the
    /// first step over it; null when no step went over (the answer is then "above the highest rate tried").
    /// </summary>
    public double? P99CrossesOneSecondAt
    {
        get
        {
            for (var i = 0; i < Ramp.Count; i++)
            {
                if (Ramp[i].P99Ms is not { } p99 || p99 <= LatencyLimitMs)
                    continue;
                if (i == 0 || Ramp[i - 1].P99Ms is not { } below)
                    return Ramp[i].OfferedRate;
                var share = (LatencyLimitMs - below) / (p99 - below);
                return Ramp[i - 1].OfferedRate + share * (Ramp[i].OfferedRate - Ramp[i - 1].OfferedRate);
            }
            return null;
        }
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var s = Sustained;
        string Ms(double? v) => v is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "–";
        string PerService(IReadOnlyDictionary<string, double> values, string format) =>
            string.Join(", ", ServiceProcesses.Pipeline.Select(p => $"{p.Name} {(values.TryGetValue(p.Name, out var v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–")}"));
        md.AppendLine($"Cold-start model: {Model}. Services: five processes, production messaging settings, logs at Warning.");
        md.AppendLine();
        md.AppendLine($"**Sustained: {s.OfferedRate:N1} payments/s offered for {Settings.Sustain.TotalSeconds:N0} s** ({s.Payments:N0} payments, {s.Heard:N0} strategies heard)");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("|---|---:|");
        md.AppendLine($"| offered / published (payments/s) | {s.OfferedRate:N1} / {s.PublishedRate:N1} |");
        md.AppendLine($"| strategies/s while offered | {s.SustainedStrategiesPerSecond:N1} |");
        md.AppendLine($"| payment→strategy p50 / p95 / p99 / max (ms) | {Ms(s.P50Ms)} / {Ms(s.P95Ms)} / {Ms(s.P99Ms)} / {Ms(s.MaxMs)} |");
        md.AppendLine($"| deepest backlog, all queues (messages) | {s.MaxQueueDepth:N0} (deepest queue: `{s.DeepestQueue}`) |");
        md.AppendLine($"| peak resident memory (MiB) | {PerService(s.PeakMemoryMiB, "N0")} |");
        md.AppendLine($"| mean CPU (cores) | {PerService(s.MeanCpuCores, "N2")} |");
        md.AppendLine();
        md.AppendLine("Over time (each row a window; latency of the payments whose strategy was heard in it; queue depth the largest sample in it; memory the last sample):");
        md.AppendLine();
        md.AppendLine("| t (s) | published | strategies/s | p50 / p99 (ms) | queued (max) | deepest queue | outbox unsent | memory MiB (Ing / Seg / Risk / Strat / Perf) | CPU cores (Ing / Seg / Risk / Strat / Perf) |");
        md.AppendLine("|---:|---:|---:|---|---:|---|---:|---|---|");
        foreach (var w in Coarsen(s.Windows, 30))
        {
            var memory = string.Join(" / ", ServiceProcesses.Pipeline.Select(p => w.MemoryMiB.TryGetValue(p.Name, out var m) && m is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–"));
            var cpu = string.Join(" / ", ServiceProcesses.Pipeline.Select(p => w.CpuCores.TryGetValue(p.Name, out var c) ? c.ToString("N2", CultureInfo.InvariantCulture) : "–"));
            md.AppendLine($"| {w.FromSeconds:N0} | {w.Published:N0} | {w.StrategiesPerSecond:N1} | {Ms(w.P50Ms)} / {Ms(w.P99Ms)} | {w.QueueDepth:N0} | `{w.DeepestQueue}` | {w.UnsentOutbox:N0} | {memory} | {cpu} |");
        }
        md.AppendLine();
        md.AppendLine($"**Ramp** ({Settings.RampStep.TotalSeconds:N0} s per step, the pipeline drained between steps):");
        md.AppendLine();
        md.AppendLine("| offered (payments/s) | strategies/s while offered | p50 / p95 / p99 (ms) | heard | deepest backlog | mean CPU (cores): Ing / Seg / Risk / Strat / Perf |");
        md.AppendLine("|---:|---:|---|---:|---|---|");
        foreach (var r in Ramp)
        {
            var cpu = string.Join(" / ", ServiceProcesses.Pipeline.Select(p => r.MeanCpuCores.TryGetValue(p.Name, out var c) ? c.ToString("N2", CultureInfo.InvariantCulture) : "–"));
            md.AppendLine($"| {r.OfferedRate:N1} | {r.SustainedStrategiesPerSecond:N1} | {Ms(r.P50Ms)} / {Ms(r.P95Ms)} / {Ms(r.P99Ms)} | {r.Heard:N0}/{r.Payments:N0} | {r.MaxQueueDepth:N0} `{r.DeepestQueue}` | {cpu} |");
        }
        md.AppendLine();
        md.AppendLine(P99CrossesOneSecondAt is { } crossing
            ? $"p99 payment→strategy crosses 1 s at about **{crossing:N1} payments/s** offered (linear between the steps around it)."
            : $"p99 payment→strategy stayed under 1 s up to the highest rate tried, {Ramp.Max(r => r.OfferedRate):N1} payments/s.");
        if (ExitedServices.Count > 0)
            md.AppendLine($"Services that exited during the run: {string.Join(", ", ExitedServices)}.");
        return md.ToString();
    }

    /// <summary>Windows merged into rows of <paramref name="seconds"/> for the table (the JSON keeps them all).</summary>
    private static IEnumerable<Window> Coarsen(IReadOnlyList<Window> windows, double seconds)
    {
        foreach (var group in windows.GroupBy(w => Math.Floor(w.FromSeconds / seconds)))
        {
            var ws = group.ToList();
            var heard = ws.Sum(w => w.Heard);
            var span = ws[^1].ToSeconds - ws[0].FromSeconds;
            // Percentiles cannot be merged exactly: the row shows the worst window's p99 and the heard-weighted p50.
            var p50 = heard > 0 ? ws.Where(w => w.P50Ms is not null).Sum(w => w.P50Ms!.Value * w.Heard) / heard : (double?)null;
            var p99 = ws.Max(w => w.P99Ms);
            var deepest = ws.OrderByDescending(w => w.QueueDepth).First();
            yield return new Window(ws[0].FromSeconds, ws[^1].ToSeconds, ws.Sum(w => w.Published), heard, heard / span, p50, null, p99,
                deepest.QueueDepth, deepest.DeepestQueue, ws.Max(w => w.UnsentOutbox), ws[^1].MemoryMiB,
                ws.SelectMany(w => w.CpuCores).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Average(c => c.Value)));
        }
    }
}
