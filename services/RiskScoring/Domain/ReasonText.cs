using System.Globalization;
using LoanRecovery.Ml;

namespace LoanRecovery.RiskScoring.Domain;

/// <summary>Puts a feature's value and its contribution into the words a collections team reads.</summary>
public static class ReasonText
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The value as shown next to the feature name, in original units.</summary>
    public static string Value(FeatureSpec feature, double value)
    {
        if (double.IsNaN(value))
            return "missing";
        if (feature.Kind == FeatureKind.Categorical)
            return feature.Categories is { } categories && value >= 0 && value < categories.Count ? categories[(int)value] : "unknown";
        return feature.Name switch
        {
            RiskFeatures.EmiToIncome or RiskFeatures.CollateralCover or RiskFeatures.OutstandingShare => value.ToString("P0", Culture),
            RiskFeatures.InterestRate => value.ToString("0.##", Culture) + "%",
            _ => value.ToString(Math.Abs(value) >= 1000 ? "#,0" : "0.##", Culture),
        };
    }

    /// <summary>The feature and its value as a phrase: "12 days past due", "monthly income of 15,207".</summary>
    public static string Phrase(FeatureSpec feature, double value)
    {
        var shown = Value(feature, value);
        if (double.IsNaN(value))
            return $"an unknown {feature.Name.Replace('_', ' ')}";
        return feature.Name switch
        {
            RiskFeatures.DaysPastDue => $"{shown} days past due",
            RiskFeatures.MissedPayments => value == 1 ? "1 missed payment" : $"{shown} missed payments",
            RiskFeatures.Age => $"a borrower aged {shown}",
            RiskFeatures.NumDependents => value == 1 ? "1 dependent" : $"{shown} dependents",
            RiskFeatures.LoanTenureMonths => $"a {shown}-month term",
            RiskFeatures.InterestRate => $"an interest rate of {shown}",
            RiskFeatures.EmiToIncome => $"an instalment at {shown} of income",
            RiskFeatures.CollateralCover => $"collateral covering {shown} of the balance",
            RiskFeatures.OutstandingShare => $"{shown} of the loan still outstanding",
            RiskFeatures.LoanType => $"a {shown} loan",
            RiskFeatures.EmploymentType => $"employment as {shown}",
            RiskFeatures.PaymentHistory => $"a payment history of {shown}",
            _ => $"{feature.Name.Replace('_', ' ')} of {shown}",
        };
    }

    public static string Sentence(FeatureSpec feature, double value, double contribution)
    {
        var direction = contribution >= 0 ? "raised" : "lowered";
        var phrase = Phrase(feature, value);
        return $"{char.ToUpperInvariant(phrase[0])}{phrase[1..]} {direction} the risk by {Math.Abs(contribution).ToString("0.00", Culture)}";
    }
}
