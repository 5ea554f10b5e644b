using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Refining_the_strategy_policy
{
    [Fact]
    public void Switches_a_band_to_settlement_where_settlement_clearly_nets_more_than_legal_action()
    {
        var randomised = Episodes.Many(RecoveryStrategy.Settlement, 8, 10, cost: 12m).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 2, 10, cost: 150m)).ToList();
        var champion = Episodes.Many(RecoveryStrategy.LegalAction, 2, 10, arm: PolicyArm.Champion).ToList();

        var cell = Assert.Single(PolicyRefinement.Refine(randomised, champion, minimumCellEpisodes: 5));

        Assert.Equal((RiskBand.High, "Stretched", RecoveryStrategy.Settlement, "measured"), (cell.Band, cell.Segment, cell.Strategy, cell.Basis));
        Assert.Equal(788m, cell.ExpectedNetRecovery); // 8 × 1000 / 10 − 12
        Assert.Equal(20, cell.Episodes);
        Assert.StartsWith("In band High, segment Stretched Settlement has the best expected net recovery per loan, 788.00", cell.Reason);
    }

    [Fact]
    public void Keeps_the_champions_choice_where_the_data_is_too_thin()
    {
        var randomised = Episodes.Many(RecoveryStrategy.Settlement, 4, 4).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 0, 10)).ToList();

        var cell = Assert.Single(PolicyRefinement.Refine(randomised, [], minimumCellEpisodes: 5));

        Assert.Equal(RecoveryStrategy.LegalAction, cell.Strategy); // the default policy's choice for the high band
        Assert.Equal("champion", cell.Basis);
        Assert.Contains("too few randomised episodes (Settlement 4, LegalAction 10; 5 per strategy needed)", cell.Reason);
    }

    [Fact]
    public void Promotes_a_challenger_whose_net_recovery_per_loan_is_higher_with_an_interval_above_zero()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 8, 10, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 2, 10, arm: PolicyArm.Champion, policy: "policy-1")).ToList();
        var assignments = closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, assignments), minimumEpisodes: 10, margin: 0m);

        Assert.True(verdict.Promoted, verdict.Reason);
        Assert.Equal(600, verdict.Comparison!.NetRecoveryPerLoan!.Difference, 9);
        Assert.StartsWith("Promoted: challenger policy-2 net recovery per loan 800.00 over 10 loans, champion policy-1 200.00 over 10 loans; difference 600.00 (95% CI", verdict.Reason);
    }

    [Fact]
    public void Promotes_nothing_without_a_difference_and_says_why()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 5, 10, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 5, 10, arm: PolicyArm.Champion, policy: "policy-1")).ToList();
        var assignments = closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, assignments), minimumEpisodes: 10, margin: 0m);

        Assert.False(verdict.Promoted);
        Assert.StartsWith("Not promoted: no difference shown; challenger policy-2 net recovery per loan 500.00 over 10 loans, champion policy-1 500.00", verdict.Reason);
    }

    [Fact]
    public void Promotes_nothing_on_too_few_episodes()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 3, 3, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 0, 3, arm: PolicyArm.Champion, policy: "policy-1")).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList()), 10, 0m);

        Assert.False(verdict.Promoted);
        Assert.Equal("Not enough closed episodes: challenger policy-2 has 3, champion policy-1 has 3; 10 each are needed.", verdict.Reason);
    }
}
