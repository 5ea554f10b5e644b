using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Simulating_a_portfolio
{
    private static (IReadOnlyList<SimLoan> Loans, List<SimPayment> Payments) Run(int seed)
    {
        var loans = PortfolioGenerator.Generate(Simulation.Default, 300, seed);
        var sim = new PortfolioSimulation(Simulation.Default, loans, seed, 6, new BaselinePolicy(Simulation.Default.Baseline));
        var payments = new List<SimPayment>();
        for (var m = 0; m < 6; m++)
        {
            payments.AddRange(sim.Payments(m));
            sim.AssignStrategies(m);
        }
        return (loans, payments);
    }

    [Fact]
    public void Gives_the_same_borrowers_payments_and_report_for_the_same_seed()
    {
        var (loansA, paymentsA) = Run(11);
        var (loansB, paymentsB) = Run(11);

        Assert.Equal(loansA, loansB);
        Assert.Equal(paymentsA, paymentsB);
        var reportA = Counterfactuals.Evaluate(Simulation.Default, loansA, 11, 6);
        var reportB = Counterfactuals.Evaluate(Simulation.Default, loansB, 11, 6);
        Assert.Equal(reportA.Oracle.Total, reportB.Oracle.Total);
        Assert.Equal(reportA.Baseline.Total, reportB.Baseline.Total);
    }

    [Fact]
    public void Gives_other_borrowers_for_another_seed()
    {
        var (loansA, _) = Run(11);
        var (loansB, _) = Run(12);
        Assert.NotEqual(loansA.Select(l => l.MonthlyIncome), loansB.Select(l => l.MonthlyIncome));
    }

    [Fact]
    public void Payments_are_instalments_of_the_loan_with_simulated_dates_and_partial_payments_misses_and_cures()
    {
        var (loans, payments) = Run(5);
        var start = Simulation.Default.Portfolio.StartDate;

        Assert.All(payments, p =>
        {
            var loan = loans[p.LoanIndex];
            Assert.True(p.AmountDue <= loan.MonthlyEmi);
            Assert.InRange(p.AmountPaid, 0, p.AmountDue + loan.OutstandingAtStart);
            Assert.Equal(p.AmountPaid > 0, p.PaidOn is not null);
            Assert.Equal(loan.DueDay, p.DueDate.Day);
            Assert.InRange(p.DueDate, start, start.AddMonths(6));
            if (p.PaidOn is { } paidOn)
                Assert.InRange(paidOn.DayNumber - p.DueDate.DayNumber, 0, Simulation.Default.Payment.MaxDaysLate);
        });
        Assert.Equal(payments.Count, payments.Select(p => p.PaymentId).Distinct().Count());
        Assert.Contains(payments, p => p.AmountPaid == 0);                                  // misses
        Assert.Contains(payments, p => p.AmountPaid > 0 && p.AmountPaid < p.AmountDue);     // partial payments
        Assert.Contains(payments, p => p.AmountPaid > p.AmountDue);                         // cures: arrears paid back
    }

    [Fact]
    public void A_strategy_acts_only_through_the_next_months_payments()
    {
        var loans = PortfolioGenerator.Generate(Simulation.Default, 400, 3);
        var reminder = new PortfolioSimulation(Simulation.Default, loans, 3, 4, new FixedStrategyPolicy(RecoveryStrategy.Reminder));
        var legal = new PortfolioSimulation(Simulation.Default, loans, 3, 4, new FixedStrategyPolicy(RecoveryStrategy.LegalAction));

        // Before any loan falls behind no strategy acts: the first month is the same under every policy (common random numbers).
        Assert.Equal(reminder.Payments(0), legal.Payments(0));
        reminder.AssignStrategies(0);
        legal.AssignStrategies(0);
        Assert.NotEqual(reminder.Payments(1), legal.Payments(1));
    }
}
