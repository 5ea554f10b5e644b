using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Domain;

namespace LoanRecovery.RiskScoring.Tests;

/// <summary>
/// Loans whose outcome follows a known rule: the chance of not being fully recovered rises with days past due,
/// missed payments and the instalment's share of income. A model that learns must find it.
/// </summary>
public static class GeneratedPortfolio
{
    private static readonly string[] Employment = ["Salaried", "Self-Employed", "Business Owner"];
    private static readonly string[] LoanTypes = ["Home", "Auto", "Personal", "Business"];

    public sealed record GeneratedLoan(LoanOpened Opened, bool NotFullyRecovered, double TrueRisk);

    public static double TrueRisk(int daysPastDue, int missed, double emiToIncome) =>
        1 / (1 + Math.Exp(-(-2.2 + 0.035 * daysPastDue + 0.5 * missed + 4.0 * emiToIncome)));

    public static IReadOnlyList<GeneratedLoan> Create(int count, int seed, string prefix = "G")
    {
        var random = new Random(seed);
        var loans = new List<GeneratedLoan>(count);
        for (var i = 0; i < count; i++)
        {
            var income = Math.Round((decimal)(15_000 + random.NextDouble() * 200_000));
            var amount = Math.Round((decimal)(50_000 + random.NextDouble() * 1_500_000));
            var emi = Math.Round(amount / (12 + random.Next(0, 60)), 2);
            var dpd = random.Next(0, 6) * 30;
            var missed = Math.Min(12, dpd / 30 + random.Next(0, 2));
            var risk = TrueRisk(dpd, missed, (double)(emi / income));
            var opened = new LoanOpened($"{prefix}{i}", $"B{prefix}{i}", 25 + random.Next(0, 40), "Female", Employment[random.Next(Employment.Length)],
                income, random.Next(0, 4), amount, 36, 10.5m, LoanTypes[random.Next(LoanTypes.Length)], Math.Round(amount * (decimal)random.NextDouble()),
                Math.Round(amount * 0.7m), emi, null, dpd, missed, dpd > 0 ? "Delayed" : "On-Time", DateTimeOffset.UtcNow);
            loans.Add(new GeneratedLoan(opened, random.NextDouble() < risk, risk));
        }
        return loans;
    }

    public static LoanFacts Facts(LoanOpened m) => new(m.Age, m.EmploymentType, m.MonthlyIncome, m.NumDependents, m.LoanAmount,
        m.LoanTenureMonths, m.InterestRate, m.LoanType, m.CollateralValue, m.OutstandingLoanAmount, m.MonthlyEmi, m.PaymentHistory,
        m.MissedPayments, m.DaysPastDue);

    public static IReadOnlyList<TrainingExample> Examples(IEnumerable<GeneratedLoan> loans) =>
        loans.Select(l => new TrainingExample(Facts(l.Opened).ToFeatures(), l.NotFullyRecovered)).ToList();

    public static RecoveryOutcomeRecorded Outcome(GeneratedLoan loan) => new(Guid.NewGuid(), loan.Opened.LoanId, loan.Opened.BorrowerId, true,
        loan.NotFullyRecovered ? RecoveryStatus.WrittenOff : RecoveryStatus.FullyRecovered, null, null, null, null, "Calls", 2, false,
        null, null, null, new Dictionary<string, double?>(), DateTimeOffset.UtcNow);

    public static readonly TrainingSettings Settings = new(Trees: 150, MaxDepth: 3, LearningRate: 0.05, MinChildWeight: 3,
        HoldoutFraction: 0.25, CalibrationFraction: 0.25, MinimumRows: 100, Seed: 42);
}
