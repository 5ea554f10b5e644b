using System.Diagnostics;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>CPU used over a phase: the whole machine's (from /proc/stat, every process on it) and this process's.</summary>
public sealed record CpuUse(double WallSeconds, double MachineBusyShare, double ProcessCpuSeconds, string LoadAverageBefore, string LoadAverageAfter)
{
    /// <summary>This process's CPU as cores kept busy on average (2.0 = both cores of a 2-core machine).</summary>
    public double ProcessCores => ProcessCpuSeconds / WallSeconds;
}

/// <summary>Takes a CPU reading at the start of a phase; <see cref="Stop"/> gives the use since.</summary>
public sealed class MachineCpu
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total) _machine = ReadMachine();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly string _load = LoadAverage();

    public CpuUse Stop()
    {
        var (busy, total) = ReadMachine();
        var share = total > _machine.Total ? (double)(busy - _machine.Busy) / (total - _machine.Total) : double.NaN;
        return new CpuUse(Stopwatch.GetElapsedTime(_started).TotalSeconds, share,
            (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds, _load, LoadAverage());
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static (long Busy, long Total) ReadMachine()
    {
        if (!File.Exists("/proc/stat"))
            return (0, 0);
        // cpu  user nice system idle iowait irq softirq steal ...: idle and iowait are the not-busy part.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}
