using LoanRecovery.Ingestion.Domain;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Delinquency_arithmetic
{
    private static readonly DelinquencyState Current = new(Outstanding: 10_000m, Arrears: 0m, OldestUnpaidDueDate: null, MissedPayments: 0, DaysPastDue: 0);

    private static ValidPayment Payment(string due, decimal amountDue, decimal paid, string? paidOn) =>
        new("P", "L", DateOnly.Parse(due), amountDue, paid, paidOn is null ? null : DateOnly.Parse(paidOn));

    [Fact]
    public void A_payment_in_full_on_time_keeps_the_loan_current()
    {
        var after = Delinquency.Apply(Current, Payment("2026-01-01", 500m, 500m, "2026-01-01"));

        Assert.Equal(new DelinquencyState(9_500m, 0m, null, 0, 0), after);
        Assert.False(after.IsDelinquent);
    }

    [Fact]
    public void Missed_instalments_accumulate_arrears_and_days_from_the_oldest_unpaid_due_date()
    {
        var january = Delinquency.Apply(Current, Payment("2026-01-01", 500m, 0m, null));
        var february = Delinquency.Apply(january, Payment("2026-02-01", 500m, 0m, null));

        Assert.Equal(new DelinquencyState(10_000m, 500m, new DateOnly(2026, 1, 1), 1, 0), january);
        Assert.True(january.IsDelinquent);
        Assert.Equal(new DelinquencyState(10_000m, 1_000m, new DateOnly(2026, 1, 1), 2, 31), february);
    }

    [Fact]
    public void Paying_off_the_arrears_clears_days_past_due_but_not_the_missed_count()
    {
        var missed = Delinquency.Apply(Current, Payment("2026-01-01", 500m, 0m, null));
        var caughtUp = Delinquency.Apply(missed, Payment("2026-02-01", 500m, 1_000m, "2026-02-03"));

        Assert.Equal(new DelinquencyState(9_000m, 0m, null, 1, 0), caughtUp);
    }

    [Fact]
    public void Catching_up_pays_the_oldest_instalments_first_and_days_past_due_follow()
    {
        var state = Current;
        foreach (var month in new[] { "2026-01-01", "2026-02-01", "2026-03-01" })
            state = Delinquency.Apply(state, Payment(month, 100m, 0m, null));
        Assert.Equal((300m, new DateOnly(2026, 1, 1), 59), (state.Arrears, state.OldestUnpaidDueDate!.Value, state.DaysPastDue));

        // 300 paid on 1 April goes to the oldest first: January, February and March are paid; April's instalment, due
        // today, is the one left unpaid.
        var april = Delinquency.Apply(state, Payment("2026-04-01", 100m, 300m, "2026-04-01"));

        Assert.Equal(new DelinquencyState(9_700m, 100m, new DateOnly(2026, 4, 1), 3, 0), april);
    }

    [Fact]
    public void A_partial_payment_is_a_shortfall_not_a_miss()
    {
        var after = Delinquency.Apply(Current, Payment("2026-01-01", 500m, 200m, "2026-01-11"));

        Assert.Equal(new DelinquencyState(9_800m, 300m, new DateOnly(2026, 1, 1), 0, 10), after);
    }

    [Fact]
    public void An_imported_loan_starts_with_its_missed_instalments_in_arrears()
    {
        var state = DelinquencyState.Imported(outstanding: 50_000m, monthlyEmi: 1_200m, missedPayments: 2, daysPastDue: 45, asOf: new DateOnly(2026, 11, 21));

        Assert.Equal(new DelinquencyState(50_000m, 2_400m, new DateOnly(2026, 10, 7), 2, 45), state);
    }
}
