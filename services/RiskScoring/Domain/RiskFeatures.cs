using LoanRecovery.Ml;

namespace LoanRecovery.RiskScoring.Domain;

/// <summary>
/// The features the risk model may use: only what is known when a loan is scored. Columns that exist only after
/// the recovery decision (collection attempts and method, legal action, the recovery status itself) are
/// treatments or the label, and gender is a protected attribute: none of them may be a feature, and the catalog
/// refuses to be built with one.
/// </summary>
public static class RiskFeatures
{
    public const string Age = "age", EmploymentType = "employment_type", MonthlyIncome = "monthly_income",
        NumDependents = "num_dependents", LoanAmount = "loan_amount", LoanTenureMonths = "loan_tenure_months",
        InterestRate = "interest_rate", LoanType = "loan_type", CollateralValue = "collateral_value",
        OutstandingBalance = "outstanding_balance", MonthlyEmi = "monthly_emi", PaymentHistory = "payment_history",
        MissedPayments = "missed_payments", DaysPastDue = "days_past_due", EmiToIncome = "emi_to_income",
        CollateralCover = "collateral_cover", OutstandingShare = "outstanding_share";

    /// <summary>Names that must never become features, whatever their spelling.</summary>
    public static readonly IReadOnlyList<string> Forbidden =
    [
        "collection_attempts", "collection_method", "legal_action_taken", "recovery_status", "gender",
    ];

    public static readonly FeatureSchema Schema = Build(
    [
        new(Age, FeatureKind.Numeric),
        new(EmploymentType, FeatureKind.Categorical, ["Salaried", "Self-Employed", "Business Owner", "Unemployed"]),
        new(MonthlyIncome, FeatureKind.Numeric),
        new(NumDependents, FeatureKind.Numeric),
        new(LoanAmount, FeatureKind.Numeric),
        new(LoanTenureMonths, FeatureKind.Numeric),
        new(InterestRate, FeatureKind.Numeric),
        new(LoanType, FeatureKind.Categorical, ["Home", "Auto", "Personal", "Business"]),
        new(CollateralValue, FeatureKind.Numeric),
        new(OutstandingBalance, FeatureKind.Numeric),
        new(MonthlyEmi, FeatureKind.Numeric),
        new(PaymentHistory, FeatureKind.Categorical, ["On-Time", "Delayed", "Missed"]),
        new(MissedPayments, FeatureKind.Numeric),
        new(DaysPastDue, FeatureKind.Numeric),
        new(EmiToIncome, FeatureKind.Numeric),
        new(CollateralCover, FeatureKind.Numeric),
        new(OutstandingShare, FeatureKind.Numeric),
    ]);

    /// <summary>Monotone priors: more days past due or missed payments never lowers the risk.</summary>
    public static IReadOnlyList<int> MonotoneConstraints { get; } =
        Schema.Names.Select(n => n is DaysPastDue or MissedPayments ? 1 : 0).ToArray();

    public static FeatureSchema Build(IEnumerable<FeatureSpec> features)
    {
        var list = features.ToList();
        var forbidden = list.Where(f => IsForbidden(f.Name)).Select(f => f.Name).ToList();
        if (forbidden.Count > 0)
            throw new InvalidOperationException(
                $"Feature(s) {string.Join(", ", forbidden)} are post-decision columns or protected attributes and must not enter the risk model.");
        return new FeatureSchema(list);
    }

    public static bool IsForbidden(string name)
    {
        var normalised = new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return Forbidden.Any(f => normalised.Contains(f.Replace("_", ""), StringComparison.Ordinal));
    }
}
