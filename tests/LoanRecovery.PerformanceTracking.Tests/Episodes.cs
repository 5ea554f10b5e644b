using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

/// <summary>Builds closed episodes and events for the tests.</summary>
internal static class Episodes
{
    public static ClosedEpisode Closed(RecoveryStrategy strategy, RecoveryStatus status, decimal recovered, decimal cost = 0m,
        RiskBand band = RiskBand.High, string? segment = "Stretched", PolicyArm arm = PolicyArm.Exploration, string policy = "policy-1",
        DateTimeOffset? assignedAt = null, DelinquencyStage? stage = null) =>
        new(Guid.NewGuid(), "L-" + Guid.NewGuid().ToString("N")[..6], strategy, arm, policy, "risk-1", band, segment, status, 1000m, recovered, cost, 30,
            assignedAt ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), stage);

    /// <summary><paramref name="full"/> fully recovered (1000) and the rest written off (0), of <paramref name="total"/>.</summary>
    public static IEnumerable<ClosedEpisode> Many(RecoveryStrategy strategy, int full, int total, RiskBand band = RiskBand.High, PolicyArm arm = PolicyArm.Exploration,
        string policy = "policy-1", decimal cost = 0m, DelinquencyStage? stage = null) =>
        Enumerable.Range(0, total).Select(i => Closed(strategy, i < full ? RecoveryStatus.FullyRecovered : RecoveryStatus.WrittenOff, i < full ? 1000m : 0m, cost, band,
            arm: arm, policy: policy, stage: stage));
}

/// <summary>A clock the tests move by hand; timers still run on real time.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
