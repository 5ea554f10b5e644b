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

        // One row for the band: the segment's own estimate agrees with it, so it needs no row of its own.
        Assert.Equal((RiskBand.High, (string?)null, RecoveryStrategy.Settlement, "measured"), (cell.Band, cell.Segment, cell.Strategy, cell.Basis));
        Assert.Equal(788m, cell.ExpectedNetRecovery); // 8 × 1000 / 10 − 12
        Assert.Equal(20, cell.Episodes);
        Assert.StartsWith("In band High Settlement has the best expected net recovery per loan, 788.00", cell.Reason);
    }

    [Fact]
    public void Learns_each_delinquency_stage_on_its_own()
    {
        // Legal action nets most once loans are late; in the early stage (where compliance does not allow it) settlement does.
        var randomised = Episodes.Many(RecoveryStrategy.LegalAction, 8, 10, band: RiskBand.Medium, cost: 100m, stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 3, 10, band: RiskBand.Medium, cost: 20m, stage: DelinquencyStage.Late))
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 7, 10, band: RiskBand.Medium, cost: 20m, stage: DelinquencyStage.Early))
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 2, 10, band: RiskBand.Medium, stage: DelinquencyStage.Early)).ToList();
        var champion = Episodes.Many(RecoveryStrategy.Settlement, 3, 10, band: RiskBand.Medium, arm: PolicyArm.Champion, stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 7, 10, band: RiskBand.Medium, arm: PolicyArm.Champion, stage: DelinquencyStage.Early)).ToList();

        var cells = PolicyRefinement.Refine(randomised, champion, minimumCellEpisodes: 5);

        Assert.Equal(2, cells.Count);
        var early = cells.Single(c => c.Stage == DelinquencyStage.Early);
        var late = cells.Single(c => c.Stage == DelinquencyStage.Late);
        Assert.Equal((RecoveryStrategy.Settlement, "measured"), (early.Strategy, early.Basis));
        Assert.Equal((RecoveryStrategy.LegalAction, "measured", 700m), (late.Strategy, late.Basis, late.ExpectedNetRecovery)); // 8 × 1000 / 10 − 100
        Assert.StartsWith("In band Medium, Late stage LegalAction has the best expected net recovery per loan", late.Reason);
    }

    [Fact]
    public void A_segment_measured_to_do_best_with_another_strategy_gets_a_row_of_its_own()
    {
        // Most of the band nets most with settlement; the Stable segment nets most with legal action.
        static IEnumerable<ClosedEpisode> In(string segment, IEnumerable<ClosedEpisode> episodes) => episodes.Select(e => e with { Segment = segment });
        var randomised = In("Stretched", Episodes.Many(RecoveryStrategy.Settlement, 9, 10).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 1, 10)))
            .Concat(In("Struggling", Episodes.Many(RecoveryStrategy.Settlement, 8, 10).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 2, 10))))
            .Concat(In("Stable", Episodes.Many(RecoveryStrategy.Settlement, 2, 10).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 9, 10)))).ToList();

        var cells = PolicyRefinement.Refine(randomised, [], minimumCellEpisodes: 5);

        Assert.Equal([((string?)null, RecoveryStrategy.Settlement, "measured"), ("Stable", RecoveryStrategy.LegalAction, "measured")],
            cells.Select(c => (c.Segment, c.Strategy, c.Basis)).ToArray());
        Assert.Equal(60, cells[0].Episodes);
        Assert.Equal(20, cells[1].Episodes);
    }

    [Fact]
    public void A_thin_segment_the_champion_treats_apart_keeps_the_champions_choice()
    {
        // The champion (a table) sends Struggling high-risk loans to settlement and the rest of the band to legal action;
        // refinement measured reminder best for the band, but Struggling has no randomised episodes of its own.
        var randomised = Episodes.Many(RecoveryStrategy.Reminder, 9, 10).Concat(Episodes.Many(RecoveryStrategy.LegalAction, 2, 10)).ToList();
        var champion = Episodes.Many(RecoveryStrategy.LegalAction, 2, 20, arm: PolicyArm.Champion)
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 2, 5, arm: PolicyArm.Champion).Select(e => e with { Segment = "Struggling" })).ToList();

        var cells = PolicyRefinement.Refine(randomised, champion, minimumCellEpisodes: 5);

        Assert.Equal([((string?)null, RecoveryStrategy.Reminder, "measured"), ("Struggling", RecoveryStrategy.Settlement, "champion")],
            cells.Select(c => (c.Segment, c.Strategy, c.Basis)).ToArray());
    }

    [Fact]
    public void The_default_for_a_high_risk_cell_in_the_early_stage_is_settlement_as_compliance_makes_it()
    {
        Assert.Equal(RecoveryStrategy.Settlement, PolicyRefinement.DefaultFor(RiskBand.High, DelinquencyStage.Early));
        Assert.Equal(RecoveryStrategy.LegalAction, PolicyRefinement.DefaultFor(RiskBand.High, DelinquencyStage.Late));
        Assert.Equal(RecoveryStrategy.LegalAction, PolicyRefinement.DefaultFor(RiskBand.High));
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
