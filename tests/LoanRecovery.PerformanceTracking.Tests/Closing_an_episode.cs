using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Closing_an_episode
{
    private static readonly DateTimeOffset Assigned = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowEnds = Assigned.AddDays(90);
    private static readonly ClosingRules Rules = new(0.01m, 0.05m);
    private static readonly PaymentFact Before = new(Assigned.AddHours(-1), 0m, 2000m);

    [Fact]
    public void Paid_in_full_closes_fully_recovered_when_the_balance_clears_before_the_window_ends()
    {
        var payments = new[] { Before, new PaymentFact(Assigned.AddDays(3), 500m, 1500m), new PaymentFact(Assigned.AddDays(20), 1500m, 0m) };
        var contacts = new[] { new ContactFact(Assigned.AddDays(1), "Call", 4m), new ContactFact(Assigned.AddDays(30), "Call", 4m) };

        var close = EpisodeClosing.TryClose(Assigned, WindowEnds, Assigned.AddDays(20), payments, contacts, Rules)!;

        Assert.Equal(RecoveryStatus.FullyRecovered, close.Status);
        Assert.Equal(2000m, close.AmountRecovered);
        Assert.Equal(2000m, close.OpeningBalance);
        Assert.Equal(4m, close.ContactCost); // the call after the close is not the episode's
        Assert.Equal(20, close.DaysToRecover);
        Assert.Equal(Assigned.AddDays(20), close.ClosedAt);
    }

    [Fact]
    public void A_partial_payment_stays_open_until_the_window_ends_then_closes_partially_recovered()
    {
        var payments = new[] { Before, new PaymentFact(Assigned.AddDays(10), 500m, 1500m), new PaymentFact(Assigned.AddDays(95), 1500m, 0m) };
        var contacts = new[] { new ContactFact(Assigned.AddDays(2), "Call", 4m), new ContactFact(Assigned.AddDays(3), "Letter", 2.5m) };

        Assert.Null(EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds.AddTicks(-1), payments, contacts, Rules));
        var close = EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds, payments, contacts, Rules)!;

        Assert.Equal(RecoveryStatus.PartiallyRecovered, close.Status);
        Assert.Equal(500m, close.AmountRecovered); // the payment after the window is not counted
        Assert.Equal(6.5m, close.ContactCost);
        Assert.Equal(2, close.Contacts);
        Assert.Equal(90, close.DaysToRecover);
        Assert.Equal(WindowEnds, close.ClosedAt);
    }

    [Fact]
    public void A_window_that_ends_with_the_arrears_cleared_closes_fully_recovered_at_its_end_with_what_was_paid_in_it()
    {
        var payments = new[]
        {
            Before, new PaymentFact(Assigned.AddDays(10), 0m, 2000m, 300m), new PaymentFact(Assigned.AddDays(40), 400m, 1600m, 0m),
            new PaymentFact(Assigned.AddDays(70), 100m, 1500m, 0m),
        };

        Assert.Null(EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds.AddTicks(-1), payments, [], Rules)); // cured, but the window runs on
        var close = EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds, payments, [], Rules)!;

        Assert.Equal(RecoveryStatus.FullyRecovered, close.Status);
        Assert.Equal("observation window ended with the arrears cleared", close.Reason);
        Assert.Equal(500m, close.AmountRecovered);
        Assert.Equal(WindowEnds, close.ClosedAt);
        Assert.Equal(90, close.DaysToRecover);
    }

    [Fact]
    public void Cured_then_behind_again_by_the_end_of_the_window_is_not_fully_recovered()
    {
        var payments = new[] { Before, new PaymentFact(Assigned.AddDays(30), 400m, 1600m, 0m), new PaymentFact(Assigned.AddDays(60), 0m, 1600m, 100m) };

        var close = EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds, payments, [], Rules)!;

        Assert.Equal(RecoveryStatus.PartiallyRecovered, close.Status);
        Assert.Equal("observation window ended", close.Reason);
    }

    [Fact]
    public void A_payment_whose_arrears_are_not_known_never_counts_as_a_cure()
    {
        var payments = new[] { Before, new PaymentFact(Assigned.AddDays(30), 400m, 1600m) };

        Assert.Equal(RecoveryStatus.PartiallyRecovered, EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds, payments, [], Rules)!.Status);
    }

    [Fact]
    public void No_payment_closes_written_off_at_the_end_of_the_window()
    {
        var close = EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds.AddDays(1), [Before], [], Rules)!;

        Assert.Equal(RecoveryStatus.WrittenOff, close.Status);
        Assert.Equal(0m, close.AmountRecovered);
        Assert.Equal(WindowEnds, close.ClosedAt);
    }

    [Fact]
    public void Too_little_recovered_to_count_is_written_off()
    {
        var payments = new[] { Before, new PaymentFact(Assigned.AddDays(5), 99.99m, 1900.01m) }; // below 5% of 2000

        Assert.Equal(RecoveryStatus.WrittenOff, EpisodeClosing.TryClose(Assigned, WindowEnds, WindowEnds, payments, [], Rules)!.Status);
    }
}
