namespace LoanRecovery.RiskScoring.Domain;

/// <summary>When retraining is due, and why in words; null when it is not.</summary>
public static class RetrainTrigger
{
    public static string? Reason(int newOutcomes, TimeSpan newestModelAge, bool driftFlagged, string? driftStatement,
        int retrainAfterOutcomes, int retrainOnDriftAfterOutcomes, TimeSpan retrainInterval)
    {
        // Without a new outcome a challenger would be trained on the champion's own data: nothing to learn.
        if (newOutcomes == 0)
            return null;
        if (newOutcomes >= retrainAfterOutcomes)
            return $"scheduled: {newOutcomes} new outcomes since the newest model";
        if (driftFlagged && newOutcomes >= retrainOnDriftAfterOutcomes)
            return $"drift flagged by performance tracking: {driftStatement} ({newOutcomes} new outcomes since the newest model)";
        if (newestModelAge >= retrainInterval)
            return $"scheduled: the newest model is {newestModelAge.TotalDays:0.#} days old";
        return null;
    }
}
