using LoanRecovery.Simulator.Transport;

namespace LoanRecovery.Simulator.Tests;

public sealed class Settling_a_month
{
    private static readonly DateTime Recorded = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    private static DateTime At(double seconds) => Recorded.AddSeconds(seconds);

    [Fact]
    public void Strategies_still_arriving_hold_the_floor_back_for_one_settle_time_after_the_last()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), MonthSettling.RemainingWait(At(4), Recorded, lastStrategyHeard: At(4), Settle));
        Assert.Equal(TimeSpan.FromSeconds(0.5), MonthSettling.RemainingWait(At(5), Recorded, lastStrategyHeard: At(4), Settle));
        Assert.Equal(TimeSpan.Zero, MonthSettling.RemainingWait(At(5.5), Recorded, lastStrategyHeard: At(4), Settle));
    }

    [Fact]
    public void A_month_with_no_strategy_heard_yet_waits_one_settle_time_after_its_payments_were_recorded()
    {
        // The last strategy was heard in an earlier month: this month's may still be on their way through the services.
        var lastMonths = At(-20);
        Assert.Equal(TimeSpan.FromSeconds(1.5), MonthSettling.RemainingWait(At(0), Recorded, lastMonths, Settle));
        Assert.Equal(TimeSpan.FromSeconds(0.25), MonthSettling.RemainingWait(At(1.25), Recorded, lastMonths, Settle));
        Assert.Equal(TimeSpan.Zero, MonthSettling.RemainingWait(At(1.5), Recorded, lastMonths, Settle));
    }

    [Fact]
    public void Once_settled_the_floor_is_not_held_back_again()
    {
        Assert.Equal(TimeSpan.Zero, MonthSettling.RemainingWait(At(30), Recorded, lastStrategyHeard: At(2), Settle));
    }
}
