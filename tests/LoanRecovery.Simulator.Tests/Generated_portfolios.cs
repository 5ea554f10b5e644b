using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Generated_portfolios
{
    private static readonly IReadOnlyList<SimLoan> Loans = PortfolioGenerator.Generate(Simulation.Default, 3000, 21);

    [Fact]
    public void Use_the_seed_files_categories_in_plausible_shares()
    {
        Assert.Equal(["Female", "Male"], Loans.Select(l => l.Gender).Distinct().Order());
        Assert.Equal(["Business Owner", "Salaried", "Self-Employed"], Loans.Select(l => l.EmploymentType).Distinct().Order());
        Assert.Equal(["Auto", "Business", "Home", "Personal"], Loans.Select(l => l.LoanType).Distinct().Order());
        Assert.InRange(Loans.Count(l => l.EmploymentType == "Salaried") / 3000.0, 0.5, 0.66);
        Assert.InRange(Loans.Count(l => l.LoanType == "Personal") / 3000.0, 0.38, 0.5);
    }

    [Fact]
    public void Keep_every_field_in_the_seed_files_ranges()
    {
        var p = Simulation.Default.Portfolio;
        Assert.All(Loans, l =>
        {
            Assert.InRange(l.Age, p.AgeMin, p.AgeMax);
            Assert.InRange((double)l.MonthlyIncome, p.IncomeMin, p.IncomeMax);
            Assert.InRange(l.NumDependents, 0, 3);
            var type = p.LoanTypes[l.LoanType];
            Assert.InRange((double)l.LoanAmount, type.AmountMin * 0.2 - 1, type.AmountMax + 1);
            Assert.Contains(l.LoanTenureMonths, type.Tenures);
            Assert.InRange((double)l.InterestRate, type.RateMin, type.RateMax);
            Assert.True(l.CollateralValue >= 0);
            Assert.InRange(l.OutstandingAtStart, 0, l.LoanAmount);
            Assert.InRange(l.Ability, 0, 1);
            Assert.InRange(l.Willingness, 0, 1);
        });
        var incomes = Loans.Select(l => (double)l.MonthlyIncome).Order().ToArray();
        Assert.InRange(incomes[incomes.Length / 2], 80_000, 150_000);
    }

    [Fact]
    public void Have_the_instalment_of_an_annuity_on_amount_tenure_and_rate()
    {
        Assert.All(Loans, l =>
        {
            var emi = PortfolioGenerator.Emi((double)l.LoanAmount, (double)l.InterestRate, l.LoanTenureMonths);
            Assert.Equal(emi, (double)l.MonthlyEmi, 0.01);
            Assert.True((double)l.MonthlyEmi <= Simulation.Default.Portfolio.MaxEmiShareOfIncome * (double)l.MonthlyIncome * 1.0001
                || (double)l.LoanAmount <= Simulation.Default.Portfolio.LoanTypes[l.LoanType].AmountMin * 0.2 + 1);
        });
    }

    [Fact]
    public void Spread_hidden_ability_and_willingness_over_all_four_kinds_of_borrower()
    {
        var groups = Loans.GroupBy(l => l.Group(Simulation.Default.Groups)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, groups.Count);
        Assert.All(groups.Values, n => Assert.True(n >= 150, $"a group has only {n} borrowers"));
    }
}
