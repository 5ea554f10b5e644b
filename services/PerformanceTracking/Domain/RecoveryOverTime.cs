using System.Globalization;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>The length of the periods recovery is tracked over.</summary>
public enum RecoveryPeriod { Day, Week, Month }

public sealed record PeriodStrategyFigures(string Period, string Strategy, GroupFigures Figures);

/// <summary>Recovery figures per period (of the episodes' closing) and strategy; every period with a closed episode is listed, in order.</summary>
public sealed record RecoveryOverTimeView(string Period, int Episodes, IReadOnlyList<string> Periods, IReadOnlyList<PeriodStrategyFigures> Rows);

public static class RecoveryOverTime
{
    public static RecoveryOverTimeView Compute(RecoveryPeriod period, IReadOnlyList<ClosedEpisode> episodes)
    {
        var rows = episodes
            .GroupBy(e => (Period: KeyOf(period, e.ClosedAt), Strategy: e.Strategy.ToString()))
            .OrderBy(g => g.Key.Period, StringComparer.Ordinal).ThenBy(g => g.Key.Strategy, StringComparer.Ordinal)
            .Select(g => new PeriodStrategyFigures(g.Key.Period, g.Key.Strategy, GroupFigures.Of(g.Key.Strategy, g.ToList())))
            .ToList();
        return new RecoveryOverTimeView(period.ToString().ToLowerInvariant(), episodes.Count,
            rows.Select(r => r.Period).Distinct().ToList(), rows);
    }

    /// <summary>The period an episode closed in, UTC: 2026-11-21, ISO week 2026-W47, or 2026-11; each sorts in time order as text.</summary>
    public static string KeyOf(RecoveryPeriod period, DateTimeOffset closedAt)
    {
        var utc = closedAt.UtcDateTime;
        return period switch
        {
            RecoveryPeriod.Day => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RecoveryPeriod.Week => $"{ISOWeek.GetYear(utc):0000}-W{ISOWeek.GetWeekOfYear(utc):00}",
            RecoveryPeriod.Month => utc.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(period)),
        };
    }
}
