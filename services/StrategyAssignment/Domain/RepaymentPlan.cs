namespace LoanRecovery.StrategyAssignment.Domain;

/// <summary>The configured limits of a settlement offer.</summary>
public sealed record SettlementTerms(decimal MaxInstalmentShareOfIncome, decimal MinDiscount, decimal MaxDiscount, int MaxPlanMonths);

/// <summary>
/// A settlement offer: the discount on the balance, the amount to settle, and the instalments. Every instalment is at
/// most <see cref="AffordableInstalment"/>; the last one may be smaller. When even the largest discount over the longest
/// plan is not affordable, <see cref="CoversSettlement"/> is false: the plan pays what is affordable and the rest needs review.
/// </summary>
public sealed record RepaymentPlan(
    decimal Discount,
    decimal SettlementAmount,
    int Months,
    decimal Instalment,
    decimal LastInstalment,
    decimal AffordableInstalment,
    bool CoversSettlement,
    string Summary);

public static class RepaymentPlanner
{
    /// <param name="outstanding">Balance owed.</param>
    /// <param name="monthlyIncome">Borrower's monthly income; null or zero when unknown (the offer is then a single payment).</param>
    /// <param name="riskPosition">Where the score lies within the settlement band, 0 (lowest risk) to 1; the discount grows with it.</param>
    /// <param name="terms">The configured share of income, discount limits and longest plan.</param>
    public static RepaymentPlan Plan(decimal outstanding, decimal? monthlyIncome, double riskPosition, SettlementTerms terms)
    {
        outstanding = Math.Max(0m, outstanding);
        var position = (decimal)Math.Clamp(double.IsNaN(riskPosition) ? 0.5 : riskPosition, 0, 1);
        var discount = Math.Round(terms.MinDiscount + (terms.MaxDiscount - terms.MinDiscount) * position, 4);
        var cap = Floor2((monthlyIncome ?? 0m) * terms.MaxInstalmentShareOfIncome);
        var amount = Round2(outstanding * (1 - discount));

        if (cap <= 0m)
            return new RepaymentPlan(discount, amount, 0, 0m, 0m, 0m, false,
                $"Settlement offer {discount:P0} discount: {amount:0.00} as one payment (no income known, so no instalment plan)");
        if (amount == 0m)
            return new RepaymentPlan(discount, 0m, 0, 0m, 0m, cap, true, "Nothing left to settle");

        // Longer plans first, then a larger discount (within the limits), until the instalment is affordable.
        if (cap * terms.MaxPlanMonths < amount)
        {
            var needed = Ceil4(1 - cap * terms.MaxPlanMonths / outstanding);
            discount = Math.Min(terms.MaxDiscount, Math.Max(discount, needed));
            amount = Round2(outstanding * (1 - discount));
        }
        var months = (int)Math.Clamp(Math.Ceiling(amount / cap), 1, terms.MaxPlanMonths);
        var instalment = Ceil2(amount / months);
        while (instalment > cap && months < terms.MaxPlanMonths)
            instalment = Ceil2(amount / ++months);

        if (instalment > cap)
        {
            return new RepaymentPlan(discount, amount, months, cap, cap, cap, false,
                $"Settlement offer {discount:P0} discount: {amount:0.00}; the affordable plan of {months} instalments of {cap:0.00} covers {cap * months:0.00}, the rest needs review");
        }
        var last = amount - instalment * (months - 1);
        return new RepaymentPlan(discount, amount, months, instalment, last, cap, true,
            months == 1
                ? $"Settlement offer {discount:P0} discount: {amount:0.00} in one payment"
                : $"Settlement offer {discount:P0} discount: {amount:0.00} in {months} monthly instalments of {instalment:0.00}");
    }

    private static decimal Round2(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
    private static decimal Floor2(decimal value) => Math.Floor(value * 100m) / 100m;
    private static decimal Ceil2(decimal value) => Math.Ceiling(value * 100m) / 100m;
    private static decimal Ceil4(decimal value) => Math.Ceiling(value * 10000m) / 10000m;
}
