using LoanRecovery.RiskScoring.Domain;

namespace LoanRecovery.RiskScoring.Tests;

public sealed class Retraining_triggers
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void Enough_new_outcomes_trigger_retraining() =>
        Assert.Equal("scheduled: 500 new outcomes since the newest model", RetrainTrigger.Reason(500, TimeSpan.FromHours(1), false, null, 500, 50, Week));

    [Fact]
    public void Flagged_drift_triggers_retraining_with_its_statement() =>
        Assert.Equal("drift flagged by performance tracking: PSI above 0.2 for: score. (50 new outcomes since the newest model)",
            RetrainTrigger.Reason(50, TimeSpan.FromHours(1), true, "PSI above 0.2 for: score.", 500, 50, Week));

    [Fact]
    public void Flagged_drift_waits_for_its_own_smaller_number_of_new_outcomes()
    {
        // Drift stays flagged while the champion's inputs have moved: a retraining at every check would train one
        // challenger after another on nearly the same outcomes.
        Assert.Null(RetrainTrigger.Reason(49, TimeSpan.FromHours(1), true, "PSI above 0.2 for: score.", 500, 50, Week));
        Assert.StartsWith("drift flagged", RetrainTrigger.Reason(50, TimeSpan.FromHours(1), true, "PSI above 0.2 for: score.", 500, 50, Week));
    }

    [Fact]
    public void An_old_model_triggers_retraining() =>
        Assert.StartsWith("scheduled: the newest model is 8 days old", RetrainTrigger.Reason(3, TimeSpan.FromDays(8), false, null, 500, 50, Week));

    [Fact]
    public void Nothing_triggers_without_a_new_outcome() =>
        Assert.Null(RetrainTrigger.Reason(0, TimeSpan.FromDays(30), true, "PSI above 0.2 for: score.", 500, 50, Week));

    [Fact]
    public void A_few_outcomes_on_a_young_model_without_drift_wait() =>
        Assert.Null(RetrainTrigger.Reason(20, TimeSpan.FromHours(1), false, null, 500, 50, Week));
}
