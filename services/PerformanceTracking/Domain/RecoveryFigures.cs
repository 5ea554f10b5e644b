using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>A closed episode as the statistics see it.</summary>
public sealed record ClosedEpisode(
    Guid EpisodeId,
    string LoanId,
    RecoveryStrategy Strategy,
    PolicyArm Arm,
    string PolicyVersion,
    string ModelVersion,
    RiskBand Band,
    string? Segment,
    RecoveryStatus Status,
    decimal? OpeningBalance,
    decimal AmountRecovered,
    decimal ContactCost,
    int DaysToRecover,
    DateTimeOffset AssignedAt,
    DateTimeOffset ClosedAt,
    DelinquencyStage? Stage = null,
    bool RuleBased = false)
{
    public decimal NetRecovery => AmountRecovered - ContactCost;
    public bool FullyRecovered => Status == RecoveryStatus.FullyRecovered;

    /// <summary>
    /// The (net recovery, opening balance) pairs of the episodes whose opening balance is known and positive: what the net
    /// recovery rate is computed from.
    /// </summary>
    public static IReadOnlyList<(double Y, double X)> RatePairs(IEnumerable<ClosedEpisode> episodes) =>
        episodes.Where(e => e.OpeningBalance is > 0m).Select(e => ((double)e.NetRecovery, (double)e.OpeningBalance!.Value)).ToList();

    /// <summary>Net recovery ÷ opening balance over the episodes (ratio of sums), with its 95% interval; NaN without a balance.</summary>
    public static Interval NetRecoveryRate(IEnumerable<ClosedEpisode> episodes) => Statistics.RatioOfSums(RatePairs(episodes));
}

/// <summary>
/// Recovery figures of a group of closed episodes. The recovery rate is the share fully recovered (Wilson 95% interval); the
/// amount recovery rate is amount recovered ÷ opening balance; cost to collect is contact cost ÷ amount recovered; net
/// recovery per loan is (amount recovered − contact cost) ÷ episodes, with a Student t 95% interval; the net recovery rate is
/// (amount recovered − contact cost) ÷ opening balance over the episodes with a known balance, with a delta-method 95%
/// interval. The rate is what strategies and policies are compared on: each loan counts by its balance, so a group whose
/// loans happen to be larger does not look better for it, as it does per loan.
/// </summary>
public sealed record GroupFigures(
    string Key,
    int Episodes,
    int FullyRecovered,
    int PartiallyRecovered,
    int WrittenOff,
    double RecoveryRate,
    double RecoveryRateLow,
    double RecoveryRateHigh,
    decimal AmountRecovered,
    decimal OpeningBalance,
    double? AmountRecoveryRate,
    decimal ContactCost,
    double? CostToCollect,
    decimal NetRecoveryPerLoan,
    decimal? NetRecoveryPerLoanLow,
    decimal? NetRecoveryPerLoanHigh,
    double AverageDaysToRecover,
    double? NetRecoveryRate = null,
    double? NetRecoveryRateLow = null,
    double? NetRecoveryRateHigh = null)
{
    public static GroupFigures Of(string key, IReadOnlyList<ClosedEpisode> episodes)
    {
        int full = episodes.Count(e => e.Status == RecoveryStatus.FullyRecovered);
        var rate = Statistics.Wilson(full, episodes.Count);
        decimal recovered = episodes.Sum(e => e.AmountRecovered);
        decimal opening = episodes.Sum(e => e.OpeningBalance ?? 0m);
        decimal cost = episodes.Sum(e => e.ContactCost);
        var net = Statistics.Mean(episodes.Select(e => (double)e.NetRecovery).ToList());
        var netRate = ClosedEpisode.NetRecoveryRate(episodes);
        return new GroupFigures(key, episodes.Count, full,
            episodes.Count(e => e.Status == RecoveryStatus.PartiallyRecovered),
            episodes.Count(e => e.Status == RecoveryStatus.WrittenOff),
            rate.Estimate, rate.Low, rate.High,
            recovered, opening,
            opening > 0 ? (double)(recovered / opening) : null,
            cost,
            recovered > 0 ? (double)(cost / recovered) : null,
            episodes.Count > 0 ? Money.Round(episodes.Sum(e => e.NetRecovery) / episodes.Count) : 0m,
            Money.OrNull(net.Low), Money.OrNull(net.High),
            episodes.Count > 0 ? episodes.Average(e => e.DaysToRecover) : 0,
            Statistics.FiniteOrNull(netRate.Estimate), Statistics.FiniteOrNull(netRate.Low), Statistics.FiniteOrNull(netRate.High));
    }
}

/// <summary>The dimensions recovery figures can be grouped by.</summary>
public enum GroupBy { Strategy, Segment, Band, Model, Arm, Month, Policy, Stage }

public static class RecoveryFigures
{
    public static IReadOnlyList<GroupFigures> By(GroupBy by, IReadOnlyList<ClosedEpisode> episodes) =>
        episodes.GroupBy(e => KeyOf(by, e)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => GroupFigures.Of(g.Key, g.ToList())).ToList();

    public static string KeyOf(GroupBy by, ClosedEpisode e) => by switch
    {
        GroupBy.Strategy => e.Strategy.ToString(),
        GroupBy.Segment => e.Segment ?? "unknown",
        GroupBy.Band => e.Band.ToString(),
        GroupBy.Model => e.ModelVersion,
        GroupBy.Arm => e.Arm.ToString(),
        GroupBy.Policy => e.PolicyVersion,
        GroupBy.Stage => e.Stage?.ToString() ?? "unknown",
        // Month the episode closed, when its amount became known.
        GroupBy.Month => e.ClosedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };
}

public static class Money
{
    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
    public static decimal? OrNull(double value) => double.IsFinite(value) ? Round((decimal)value) : null;
}
