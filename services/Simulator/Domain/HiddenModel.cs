namespace LoanRecovery.Simulator.Domain;

/// <summary>
/// The ground truth only the simulator knows: each borrower's ability and willingness to pay (both in 0–1), driven by the
/// lender's fields through non-linear effects and noise, and the monthly probability of paying that follows from them.
/// </summary>
public static class HiddenModel
{
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static (double Ability, double Willingness) Latent(SimulationConfig config, int seed, int index, int age, string employment,
        double income, int dependents, double amount, double emi, double collateral, string loanType, double rate)
    {
        var a = config.Ability;
        var draw = new DrawStream(seed, index, Purpose.Latent);
        // Affordability saturates: a borrower with 10× the instalment is not much safer than one with 5×.
        var cover = emi > 0 ? income / emi : 100;
        var ability = a.Intercept
            + a.Affordability * Math.Tanh((cover - a.AffordabilityKnee) / a.AffordabilityScale)
            + a.Employment.GetValueOrDefault(employment)
            + dependents * (a.PerDependent + (income < a.LowIncome ? a.DependentsLowIncomeExtra : 0))
            + a.AgeCurvature * Math.Pow((age - a.AgeOptimum) / 10.0, 2)
            + a.Noise * draw.NextNormal();

        var w = config.Willingness;
        var coverage = amount > 0 ? Math.Min(collateral / amount, w.CollateralCap) : 0;
        var willingness = w.Intercept
            + w.Collateral * coverage
            + w.LoanType.GetValueOrDefault(loanType)
            + w.AgePerDecade * (age - 40) / 10.0
            - w.RatePenalty * Math.Max(0, rate - w.RateKnee)
            + w.Noise * draw.NextNormal();
        return (Sigmoid(ability), Sigmoid(willingness));
    }

    /// <summary>Log-odds of paying the month's instalment in full, before any strategy's effect.</summary>
    public static double PaymentLogOdds(PaymentSettings p, SimLoan loan, int consecutiveMisses, double shock) =>
        p.Intercept + p.Ability * loan.Ability + p.Willingness * loan.Willingness + p.Interaction * loan.Ability * loan.Willingness
        - p.ArrearsDragPerMissed * consecutiveMisses + p.ShockSd * shock;
}
