using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Aggregating_a_borrowers_loans
{
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static LoanSnapshot Loan(string id, decimal income, decimal amount, decimal collateral, decimal outstanding, decimal emi,
        int missed, int dpd, int daysLater) => new(id, income, amount, collateral, outstanding, emi, missed, dpd, Day.AddDays(daysLater));

    [Fact]
    public void Amounts_add_up_and_delinquency_is_the_worst_loans()
    {
        var features = BorrowerFeatures.Aggregate(
        [
            Loan("A", 50_000, 300_000, 100_000, 200_000, 8_000, missed: 1, dpd: 95, daysLater: 0),
            Loan("B", 60_000, 100_000, 200_000, 100_000, 4_000, missed: 3, dpd: 20, daysLater: 10),
        ], collateralCoverCap: 10);

        Assert.Equal(60_000, features.MonthlyIncome); // the latest loan's income
        Assert.Equal(400_000, features.LoanAmount);
        Assert.Equal(300_000, features.Outstanding);
        Assert.Equal(12_000.0 / 60_000, features.EmiToIncome, 12);
        Assert.Equal(3, features.MissedPayments);
        Assert.Equal(95, features.DaysPastDue);
        Assert.Equal(1.0, features.CollateralCover, 12);
    }

    [Fact]
    public void Collateral_cover_is_capped_and_nothing_outstanding_counts_as_fully_covered()
    {
        var generous = BorrowerFeatures.Aggregate([Loan("A", 50_000, 100_000, 5_000_000, 10_000, 1_000, 0, 0, 0)], collateralCoverCap: 10);
        var repaid = BorrowerFeatures.Aggregate([Loan("A", 50_000, 100_000, 0, 0, 1_000, 0, 0, 0)], collateralCoverCap: 10);

        Assert.Equal(10, generous.CollateralCover);
        Assert.Equal(10, repaid.CollateralCover);
    }

    [Fact]
    public void A_borrower_without_loans_cannot_be_segmented()
    {
        Assert.Throws<ArgumentException>(() => BorrowerFeatures.Aggregate([], 10));
    }

    [Fact]
    public void Features_are_named_in_vector_order()
    {
        var features = new BorrowerFeatures(1, 2, 3, 4, 5, 6, 7);

        Assert.Equal(["monthlyIncome", "loanAmount", "outstanding", "emiToIncome", "missedPayments", "daysPastDue", "collateralCover"], BorrowerFeatures.Names);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7], features.ToVector());
    }
}
