namespace LoanRecovery.Segmentation.Domain;

/// <summary>One loan of a borrower as Segmentation keeps it: its figures when opened, updated by each payment.</summary>
public sealed record LoanSnapshot(
    string LoanId,
    decimal MonthlyIncome,
    decimal LoanAmount,
    decimal CollateralValue,
    decimal Outstanding,
    decimal MonthlyEmi,
    int MissedPayments,
    int DaysPastDue,
    DateTimeOffset OpenedAt);

/// <summary>The features a borrower is segmented on, in original units.</summary>
public sealed record BorrowerFeatures(
    double MonthlyIncome,
    double LoanAmount,
    double Outstanding,
    double EmiToIncome,
    double MissedPayments,
    double DaysPastDue,
    double CollateralCover)
{
    /// <summary>Feature names, in the order of <see cref="ToVector"/> and of every stored centroid.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["monthlyIncome", "loanAmount", "outstanding", "emiToIncome", "missedPayments", "daysPastDue", "collateralCover"];

    public const int MonthlyIncomeIndex = 0;
    public const int LoanAmountIndex = 1;
    public const int MissedPaymentsIndex = 4;
    public const int DaysPastDueIndex = 5;

    public double[] ToVector() => [MonthlyIncome, LoanAmount, Outstanding, EmiToIncome, MissedPayments, DaysPastDue, CollateralCover];

    /// <summary>
    /// A borrower's features from all of their loans. Income belongs to the borrower: the figure of the most recently
    /// opened loan is used (the lender's latest). Amounts add up across loans (loan amount, outstanding, instalments
    /// and collateral), delinquency is the worst loan's (most missed payments, most days past due), EMI-to-income is
    /// all instalments over income, and collateral cover is all collateral over all outstanding, capped at
    /// <paramref name="collateralCoverCap"/> (also when nothing is outstanding).
    /// </summary>
    public static BorrowerFeatures Aggregate(IReadOnlyCollection<LoanSnapshot> loans, double collateralCoverCap)
    {
        if (loans.Count == 0)
            throw new ArgumentException("A borrower needs at least one loan to be segmented.", nameof(loans));
        var latest = loans.OrderByDescending(l => l.OpenedAt).ThenByDescending(l => l.LoanId, StringComparer.Ordinal).First();
        var income = (double)latest.MonthlyIncome;
        var loanAmount = (double)loans.Sum(l => l.LoanAmount);
        var outstanding = (double)loans.Sum(l => l.Outstanding);
        var emi = (double)loans.Sum(l => l.MonthlyEmi);
        var collateral = (double)loans.Sum(l => l.CollateralValue);
        var emiToIncome = income > 0 ? emi / income : 0;
        var cover = outstanding > 0 ? Math.Min(collateral / outstanding, collateralCoverCap) : collateralCoverCap;
        return new BorrowerFeatures(income, loanAmount, outstanding, emiToIncome,
            loans.Max(l => l.MissedPayments), loans.Max(l => l.DaysPastDue), cover);
    }
}
