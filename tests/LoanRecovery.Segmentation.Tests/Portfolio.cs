using LoanRecovery.Contracts;
using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

/// <summary>
/// A small synthetic portfolio of four well-separated kinds of borrower, one loan each: low income and small loans
/// (current, and the same but far behind on payments), middle income and moderate loans, high income and large loans.
/// </summary>
public static class Portfolio
{
    public const int PerGroup = 6;
    public const string Current = "LOW";
    public const string Behind = "BEHIND";
    public const string Middle = "MID";
    public const string High = "HIGH";
    public static readonly string[] Groups = [Current, Behind, Middle, High];

    public static string BorrowerId(string prefix, string group, int i) => $"{prefix}-{group}-{i}";

    public static IReadOnlyList<LoanOpened> Loans(string prefix) =>
        Groups.SelectMany(g => Enumerable.Range(1, PerGroup).Select(i => Loan(prefix, g, i))).ToArray();

    public static LoanOpened Loan(string prefix, string group, int i)
    {
        var (income, amount, collateral, outstanding, emi, missed, dpd) = group switch
        {
            Current => (30_000m + i * 500, 100_000m + i * 2_000, 20_000m, 80_000m + i * 1_000, 3_000m, 0, 0),
            Behind => (30_000m + i * 500, 100_000m + i * 2_000, 20_000m, 90_000m + i * 1_000, 3_000m, 6, 150),
            Middle => (110_000m + i * 1_000, 800_000m + i * 5_000, 600_000m, 600_000m + i * 4_000, 15_000m, 0, 0),
            High => (220_000m + i * 2_000, 1_800_000m + i * 10_000, 2_000_000m, 1_500_000m + i * 10_000, 40_000m, 0, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(group)),
        };
        var borrower = BorrowerId(prefix, group, i);
        return new LoanOpened("LN-" + borrower, borrower, 40, "Female", "Salaried", income, 1, amount, 36, 10m, "Personal", collateral,
            outstanding, emi, null, dpd, missed, null, DateTimeOffset.UtcNow);
    }

    public static IReadOnlyList<BorrowerRow> Rows(string prefix) =>
        Loans(prefix).Select(l => new BorrowerRow(l.BorrowerId, BorrowerFeatures.Aggregate(
            [new LoanSnapshot(l.LoanId, l.MonthlyIncome, l.LoanAmount, l.CollateralValue, l.OutstandingLoanAmount, l.MonthlyEmi,
                l.MissedPayments, l.DaysPastDue, l.OccurredAt)], 10))).ToArray();

    public static FitSettings Settings(int k = 4) => new(k, k, 42, 10, 4000, new LabelThresholds(90, 3));
}
