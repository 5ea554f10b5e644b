using LoanRecovery.Contracts;

namespace LoanRecovery.RiskScoring.Domain;

public sealed record StrategyPreviewResult(RecoveryStrategy Strategy, bool RuleBased, string Explanation);

/// <summary>
/// The strategy the default policy assigns for a score, shown with what-if scores: by band when the model passed
/// its quality gate, else by transparent rules on days past due and missed payments. Compliance limits, which
/// depend on the borrower's contact history, are applied by StrategyAssignment, not here.
/// </summary>
public static class StrategyPreview
{
    public static StrategyPreviewResult For(RiskBand band, bool modelUsable, int daysPastDue, int missedPayments)
    {
        if (modelUsable)
            return band switch
            {
                RiskBand.High => new(RecoveryStrategy.LegalAction, false, "High risk: legal notice and the intensive recovery team"),
                RiskBand.Medium => new(RecoveryStrategy.Settlement, false, "Medium risk: settlement offer and an affordable repayment plan"),
                _ => new(RecoveryStrategy.Reminder, false, "Low risk: automated reminders and account monitoring"),
            };
        if (daysPastDue >= 90 || missedPayments >= 3)
            return new(RecoveryStrategy.LegalAction, true, "Rules (model not usable): 90+ days past due or 3+ missed payments");
        if (daysPastDue >= 30 || missedPayments >= 1)
            return new(RecoveryStrategy.Settlement, true, "Rules (model not usable): 30+ days past due or a missed payment");
        return new(RecoveryStrategy.Reminder, true, "Rules (model not usable): fewer than 30 days past due and no missed payment");
    }
}
