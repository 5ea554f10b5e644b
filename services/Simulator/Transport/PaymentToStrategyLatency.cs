using System.Diagnostics;

namespace LoanRecovery.Simulator.Transport;

/// <summary>
/// How long the system takes from core banking publishing a loan's payment to the collection floor hearing the
/// strategy it led to, measured from outside the services. Each loan's latest published payment waits for the next
/// <c>StrategyAssigned</c> of that loan; the first one heard completes it, so a later re-assignment is not timed against
/// an old payment. Payments that lead to no strategy (the loan is current, or its strategy stands) are never completed.
/// </summary>
/// <remarks>
/// Monotonic timestamps (<see cref="Stopwatch"/>): the measurement must not move with the wall clock. Thread-safe: the
/// listener records from the broker's thread while the run publishes.
/// </remarks>
public sealed class PaymentToStrategyLatency
{
    private readonly Dictionary<string, long> _awaiting = new();
    private readonly List<double> _milliseconds = [];
    private readonly Lock _lock = new();

    public void PaymentPublished(string loanId, long timestamp)
    {
        lock (_lock)
            _awaiting[loanId] = timestamp;
    }

    public void StrategyHeard(string loanId, long timestamp)
    {
        lock (_lock)
        {
            if (_awaiting.Remove(loanId, out var published))
                _milliseconds.Add(Stopwatch.GetElapsedTime(published, timestamp).TotalMilliseconds);
        }
    }

    public int Count
    {
        get { lock (_lock) return _milliseconds.Count; }
    }

    /// <summary>The q-quantile (0..1) of the measured latencies in milliseconds (nearest rank), or null before any.</summary>
    public double? Percentile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
                return null;
            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(q * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public LatencySummary Summary() => new(Count, Percentile(0.50), Percentile(0.95), Percentile(0.99), Percentile(1));
}

/// <summary>Payment-to-strategy latency percentiles in milliseconds; null when nothing was measured.</summary>
public sealed record LatencySummary(int Measured, double? P50, double? P95, double? P99, double? Max);
