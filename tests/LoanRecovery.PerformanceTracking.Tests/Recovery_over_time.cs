using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Recovery_over_time
{
    private static ClosedEpisode ClosedOn(DateTimeOffset closedAt, RecoveryStrategy strategy, bool fullyRecovered, decimal recovered) =>
        Episodes.Closed(strategy, fullyRecovered ? RecoveryStatus.FullyRecovered : RecoveryStatus.WrittenOff, recovered) with { ClosedAt = closedAt };

    [Fact]
    public void Groups_closed_episodes_by_strategy_and_the_period_they_closed_in_in_time_order()
    {
        var monday = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        var episodes = new[]
        {
            ClosedOn(monday.AddDays(7), RecoveryStrategy.Reminder, true, 400m),
            ClosedOn(monday, RecoveryStrategy.Reminder, true, 1000m),
            ClosedOn(monday.AddDays(1), RecoveryStrategy.Reminder, false, 0m),
            ClosedOn(monday.AddDays(2), RecoveryStrategy.LegalAction, true, 700m),
        };

        var weekly = RecoveryOverTime.Compute(RecoveryPeriod.Week, episodes);

        Assert.Equal("week", weekly.Period);
        Assert.Equal(4, weekly.Episodes);
        Assert.Equal(["2026-W47", "2026-W48"], weekly.Periods);
        var reminderFirstWeek = Assert.Single(weekly.Rows, r => r.Period == "2026-W47" && r.Strategy == "Reminder");
        Assert.Equal(2, reminderFirstWeek.Figures.Episodes);
        Assert.Equal(0.5, reminderFirstWeek.Figures.RecoveryRate, 12);
        Assert.Equal(1000m, reminderFirstWeek.Figures.AmountRecovered);
        Assert.Equal(700m, Assert.Single(weekly.Rows, r => r.Period == "2026-W47" && r.Strategy == "LegalAction").Figures.AmountRecovered);
        Assert.Equal(400m, Assert.Single(weekly.Rows, r => r.Period == "2026-W48").Figures.AmountRecovered);
    }

    [Theory]
    [InlineData(RecoveryPeriod.Day, "2027-01-01")]
    [InlineData(RecoveryPeriod.Week, "2026-W53")]
    [InlineData(RecoveryPeriod.Month, "2027-01")]
    public void Periods_are_utc_and_iso_weeks_belong_to_their_iso_year(RecoveryPeriod period, string expected)
    {
        // 1 January 2027 00:30 in UTC is still 31 December in New York; it falls in ISO week 53 of 2026.
        var closedAt = new DateTimeOffset(2026, 12, 31, 19, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal(expected, RecoveryOverTime.KeyOf(period, closedAt));
    }

    [Fact]
    public void No_closed_episode_gives_no_period()
    {
        var view = RecoveryOverTime.Compute(RecoveryPeriod.Month, []);

        Assert.Equal(0, view.Episodes);
        Assert.Empty(view.Periods);
        Assert.Empty(view.Rows);
    }
}
