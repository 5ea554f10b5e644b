namespace LoanRecovery.Simulator.Transport;

/// <summary>
/// When the floor takes a month's strategies to be in: no <c>StrategyAssigned</c> heard for the settle time, counted from
/// the later of the last one heard and the moment Ingestion had recorded the month's payments. Counting from the payments
/// covers a month whose first strategy is still on its way through Segmentation and RiskScoring; counting from the last
/// strategy covers the rest of them arriving.
/// </summary>
public static class MonthSettling
{
    /// <summary>How much longer to wait at <paramref name="now"/>; zero once the month has settled.</summary>
    public static TimeSpan RemainingWait(DateTime now, DateTime paymentsRecordedAt, DateTime lastStrategyHeard, TimeSpan settleTime)
    {
        var quietSince = paymentsRecordedAt > lastStrategyHeard ? paymentsRecordedAt : lastStrategyHeard;
        var remaining = quietSince + settleTime - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
