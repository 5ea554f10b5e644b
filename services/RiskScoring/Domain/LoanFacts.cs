namespace LoanRecovery.RiskScoring.Domain;

/// <summary>What RiskScoring knows about a loan at a moment: the inputs of its features, in original units.</summary>
public sealed record LoanFacts(
    int? Age,
    string? EmploymentType,
    decimal? MonthlyIncome,
    int? NumDependents,
    decimal? LoanAmount,
    int? LoanTenureMonths,
    decimal? InterestRate,
    string? LoanType,
    decimal? CollateralValue,
    decimal? OutstandingBalance,
    decimal? MonthlyEmi,
    string? PaymentHistory,
    int? MissedPayments,
    int? DaysPastDue)
{
    public bool IsDelinquent => DaysPastDue > 0 || MissedPayments > 0;

    /// <summary>The feature vector, by feature name; missing values are null, categories are their index in the schema.</summary>
    public IReadOnlyDictionary<string, double?> ToFeatures()
    {
        double? Ratio(decimal? numerator, decimal? denominator) =>
            numerator is { } n && denominator is { } d && d > 0 ? (double)(n / d) : null;
        double? Category(string feature, string? value)
        {
            if (value is null)
                return null;
            var spec = RiskFeatures.Schema[RiskFeatures.Schema.IndexOf(feature)];
            var index = spec.CategoryIndex(value);
            return index < 0 ? null : index;
        }

        return new Dictionary<string, double?>
        {
            [RiskFeatures.Age] = Age,
            [RiskFeatures.EmploymentType] = Category(RiskFeatures.EmploymentType, EmploymentType),
            [RiskFeatures.MonthlyIncome] = (double?)MonthlyIncome,
            [RiskFeatures.NumDependents] = NumDependents,
            [RiskFeatures.LoanAmount] = (double?)LoanAmount,
            [RiskFeatures.LoanTenureMonths] = LoanTenureMonths,
            [RiskFeatures.InterestRate] = (double?)InterestRate,
            [RiskFeatures.LoanType] = Category(RiskFeatures.LoanType, LoanType),
            [RiskFeatures.CollateralValue] = (double?)CollateralValue,
            [RiskFeatures.OutstandingBalance] = (double?)OutstandingBalance,
            [RiskFeatures.MonthlyEmi] = (double?)MonthlyEmi,
            [RiskFeatures.PaymentHistory] = Category(RiskFeatures.PaymentHistory, PaymentHistory),
            [RiskFeatures.MissedPayments] = MissedPayments,
            [RiskFeatures.DaysPastDue] = DaysPastDue,
            [RiskFeatures.EmiToIncome] = Ratio(MonthlyEmi, MonthlyIncome),
            [RiskFeatures.CollateralCover] = Ratio(CollateralValue, OutstandingBalance),
            [RiskFeatures.OutstandingShare] = Ratio(OutstandingBalance, LoanAmount),
        };
    }
}

public static class FeatureVector
{
    /// <summary>Lays a feature dictionary out in schema order (missing → NaN), refusing names the schema does not have.</summary>
    public static double[] ToRow(IReadOnlyDictionary<string, double?> features, Ml.FeatureSchema schema)
    {
        var row = new double[schema.Count];
        for (var i = 0; i < schema.Count; i++)
            row[i] = features.TryGetValue(schema[i].Name, out var value) && value is { } v ? v : double.NaN;
        return row;
    }
}
