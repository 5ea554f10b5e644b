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
        Assert.Equal(0.788, cell.ExpectedNetRecoveryRate!.Value, 9); // (8 × 1000 − 10 × 12) / (10 × 1000)
        // Legal action, the champion's choice, is measured on the champion's episodes too: 4 of 20 recovered, 10 of them paying 150 each.
        Assert.Equal(30, cell.Episodes);
        Assert.StartsWith("In band High Settlement has the best expected net recovery rate, 78.8% of the opening balance (95% CI", cell.Reason);
        Assert.Contains("788.00 per loan, 10 loans), against LegalAction 12.5% (125.00 per loan, 20 loans).", cell.Reason);
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
        Assert.StartsWith("In band Medium, Late stage LegalAction has the best expected net recovery rate", late.Reason);
    }

    [Fact]
    public void The_champions_own_episodes_measure_its_choice_so_fewer_randomised_ones_are_needed()
    {
        // Exploration drew reminder for 3 loans of the cell only; the champion assigned it to 12 more. With both, reminder has the
        // 5 episodes an estimate needs and the cell is measured: settlement, which recovers more of each balance, is chosen.
        var randomised = Episodes.Many(RecoveryStrategy.Reminder, 1, 3, band: RiskBand.Low).Concat(Episodes.Many(RecoveryStrategy.Settlement, 4, 5, band: RiskBand.Low)).ToList();
        var champion = Episodes.Many(RecoveryStrategy.Reminder, 3, 12, band: RiskBand.Low, arm: PolicyArm.Champion).ToList();

        var cell = Assert.Single(PolicyRefinement.Refine(randomised, champion, minimumCellEpisodes: 5));
        var withoutTheChampion = Assert.Single(PolicyRefinement.Refine(randomised, [], minimumCellEpisodes: 5));

        Assert.Equal((RecoveryStrategy.Settlement, "measured", 20), (cell.Strategy, cell.Basis, cell.Episodes));
        Assert.EndsWith("against Reminder 26.7% (266.67 per loan, 15 loans).", cell.Reason); // 4 of 15 recovered
        Assert.Equal((RecoveryStrategy.Reminder, "champion"), (withoutTheChampion.Strategy, withoutTheChampion.Basis));
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
        Assert.Contains("too few episodes (Settlement 4, LegalAction 10; 5 per strategy needed)", cell.Reason);
    }

    [Fact]
    public void Promotes_a_challenger_whose_net_recovery_per_loan_is_higher_with_an_interval_above_zero()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 8, 10, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 2, 10, arm: PolicyArm.Champion, policy: "policy-1")).ToList();
        var assignments = closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, assignments), minimumEpisodes: 10, marginPoints: 0);

        Assert.True(verdict.Promoted, verdict.Reason);
        Assert.Equal(60, verdict.Comparison!.NetRecoveryRatePoints!.Difference, 9);
        Assert.StartsWith("Promoted: in the cells where the policies differ (band High, segment Stretched), challenger policy-2 net recovery rate 80.0% (800.00 per loan) over 10 loans, champion policy-1 20.0% (200.00 per loan) over 10 loans; difference 60.00 points (95% CI", verdict.Reason);
    }

    [Fact]
    public void Promotes_nothing_without_a_difference_and_says_why()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 5, 10, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 5, 10, arm: PolicyArm.Champion, policy: "policy-1")).ToList();
        var assignments = closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, assignments), minimumEpisodes: 10, marginPoints: 0);

        Assert.False(verdict.Promoted);
        Assert.StartsWith("Not promoted: no difference shown; in the cells where the policies differ (band High, segment Stretched), challenger policy-2 net recovery rate 50.0% (500.00 per loan) over 10 loans, champion policy-1 50.0% (500.00 per loan)", verdict.Reason);
    }

    [Fact]
    public void Promotes_nothing_on_too_few_episodes()
    {
        var closed = Episodes.Many(RecoveryStrategy.Settlement, 3, 3, arm: PolicyArm.Challenger, policy: "policy-2")
            .Concat(Episodes.Many(RecoveryStrategy.LegalAction, 0, 3, arm: PolicyArm.Champion, policy: "policy-1")).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList()), 10, 0);

        Assert.False(verdict.Promoted);
        Assert.Equal("Not enough closed episodes in the cells where the policies differ (band High, segment Stretched): challenger policy-2 has 3, champion policy-1 has 3; 10 each are needed.", verdict.Reason);
    }

    /// <summary>
    /// Loans of very different sizes, as a real portfolio has: each arm's loans are 1,000 to 100,000, and the challenger's
    /// settlement recovers 55% or 65% of each balance where the champion's reminder recovers 35% or 45%.
    /// </summary>
    private static List<ClosedEpisode> ArmsOfMixedSizes()
    {
        decimal[] balances = [1_000m, 5_000m, 20_000m, 100_000m, 2_000m, 50_000m, 10_000m, 3_000m, 80_000m, 8_000m];
        ClosedEpisode Episode(RecoveryStrategy strategy, decimal balance, decimal share, PolicyArm arm, string policy) =>
            Episodes.Closed(strategy, RecoveryStatus.PartiallyRecovered, balance * share, arm: arm, policy: policy) with { OpeningBalance = balance };
        // The champion's loans are the same sizes in the other order.
        return balances.Select((b, i) => Episode(RecoveryStrategy.Settlement, b, i % 2 == 0 ? 0.55m : 0.65m, PolicyArm.Challenger, "policy-2"))
            .Concat(balances.Reverse().Select((b, i) => Episode(RecoveryStrategy.Reminder, b, i % 2 == 0 ? 0.35m : 0.45m, PolicyArm.Champion, "policy-1"))).ToList();
    }

    [Fact]
    public void Promotes_on_the_net_recovery_rate_which_loan_sizes_do_not_drown()
    {
        var closed = ArmsOfMixedSizes();

        var (comparison, verdict) = CompareAndDecide(closed, minimumEpisodes: 10);

        // Per loan the sizes swamp the strategy: 6,110 more per loan, with an interval far across zero.
        Assert.False(comparison.NetRecoveryPerLoan!.ExcludesZero, comparison.NetRecoveryPerLoan.ToString());
        Assert.Equal(21.8996, comparison.NetRecoveryRatePoints!.Difference, 4);
        Assert.True(verdict.Promoted, verdict.Reason);
        Assert.Contains("net recovery rate 60.9% (17005.00 per loan) over 10 loans, champion policy-1 39.1% (10895.00 per loan)", verdict.Reason);
    }

    [Fact]
    public void The_policy_suggestion_rests_on_the_figure_promotion_decides_on()
    {
        var closed = ArmsOfMixedSizes();
        var comparison = PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList());

        var suggestion = Assert.Single(Suggestions.From([], comparison, minimumGroupSize: 10));

        Assert.Equal("policy", suggestion.Kind);
        Assert.StartsWith("The challenger policy policy-2 recovered 21.9 points more of each balance, net of contact costs, than the champion policy policy-1 in band High, segment Stretched (95% CI",
            suggestion.Text);
        Assert.Empty(Suggestions.From([], comparison, minimumGroupSize: 11));
    }

    [Fact]
    public void A_margin_in_points_holds_back_a_challenger_that_is_better_by_less()
    {
        var closed = ArmsOfMixedSizes();
        var comparison = PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList());

        var verdict = PolicyEvaluation.Decide(comparison, minimumEpisodes: 10, marginPoints: 21);

        Assert.False(verdict.Promoted);
        Assert.EndsWith("which does not lie wholly above 21 points.", verdict.Reason);
    }

    [Fact]
    public void A_cell_takes_the_strategy_that_recovers_more_of_each_balance_not_the_one_that_happened_to_get_the_larger_loans()
    {
        // Reminder happened to be drawn for large loans and recovers 20% of them; legal action, drawn for small loans, recovers
        // 70% less its cost. Per loan reminder looks better (10,000 against about 1,300); per unit of balance legal action is.
        var randomised = Enumerable.Range(0, 6).Select(_ => Episodes.Closed(RecoveryStrategy.Reminder, RecoveryStatus.PartiallyRecovered, 10_000m, cost: 5m,
                band: RiskBand.Low, stage: DelinquencyStage.Late) with { OpeningBalance = 50_000m })
            .Concat(Enumerable.Range(0, 6).Select(_ => Episodes.Closed(RecoveryStrategy.LegalAction, RecoveryStatus.PartiallyRecovered, 1_400m, cost: 100m,
                band: RiskBand.Low, stage: DelinquencyStage.Late) with { OpeningBalance = 2_000m })).ToList();

        var cell = Assert.Single(PolicyRefinement.Refine(randomised, [], minimumCellEpisodes: 5));

        Assert.Equal((RecoveryStrategy.LegalAction, "measured"), (cell.Strategy, cell.Basis));
        Assert.Equal(0.65, cell.ExpectedNetRecoveryRate!.Value, 9); // (1400 − 100) / 2000
        Assert.Equal(1300m, cell.ExpectedNetRecovery);
        Assert.EndsWith("against Reminder 20.0% (9995.00 per loan, 6 loans).", cell.Reason);
    }

    /// <summary>The arms compared over every episode's assignment, and the promotion decision with no margin.</summary>
    private static (ArmComparison Comparison, PromotionVerdict Verdict) CompareAndDecide(List<ClosedEpisode> closed, int minimumEpisodes)
    {
        var comparison = PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList())!;
        return (comparison, PolicyEvaluation.Decide(comparison, minimumEpisodes, marginPoints: 0));
    }

    /// <summary>Compared in <paramref name="cell"/> alone, on (challenger, champion, challenger arm, champion arm) episodes, and promoted.</summary>
    private static void AssertPromotedOnOneCell(ArmComparison comparison, PromotionVerdict verdict, string cell, (int, int, int, int) episodes, double differencePoints)
    {
        Assert.Equal([cell], comparison.ComparedCells);
        Assert.Equal(episodes, (comparison.ChallengerEpisodes, comparison.ChampionEpisodes, comparison.ChallengerArmEpisodes, comparison.ChampionArmEpisodes));
        Assert.Equal(differencePoints, comparison.NetRecoveryRatePoints!.Difference, 9);
        Assert.True(verdict.Promoted, verdict.Reason);
    }

    [Fact]
    public void Promotion_compares_the_arms_only_in_the_cells_where_the_policies_differ()
    {
        // The challenger changes one cell, the Low band's late stage, from reminder (4 of 20 recovered) to legal action (12 of 20);
        // in the early stage both send everyone to reminder, and 100 loans a side recover half at random.
        var challenger = Episodes.Many(RecoveryStrategy.LegalAction, 12, 20, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 50, 100, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Early));
        var champion = Episodes.Many(RecoveryStrategy.Reminder, 4, 20, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 50, 100, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Early));
        var closed = challenger.Concat(champion).ToList();

        var (comparison, verdict) = CompareAndDecide(closed, minimumEpisodes: 20);

        AssertPromotedOnOneCell(comparison, verdict, "band Low, Late stage, segment Stretched", (20, 20, 120, 120), differencePoints: 40);
        Assert.StartsWith("Promoted: in the cells where the policies differ (band Low, Late stage, segment Stretched), challenger policy-2 net recovery rate 60.0%", verdict.Reason);
        Assert.Contains("than the champion policy policy-1 in band Low, Late stage, segment Stretched (95% CI", Assert.Single(Suggestions.From([], comparison, 20)).Text);
        // Over every episode of both arms the same gain is diluted six times and lost in the noise.
        var wholeArms = Statistics.RatioDifference(ClosedEpisode.RatePairs(closed.Where(e => e.Arm == PolicyArm.Challenger)),
            ClosedEpisode.RatePairs(closed.Where(e => e.Arm == PolicyArm.Champion)));
        Assert.False(wholeArms.ExcludesZero, $"{wholeArms.Low} to {wholeArms.High}");
    }

    [Fact]
    public void Promotion_waits_for_enough_episodes_in_the_cells_where_the_policies_differ()
    {
        var closed = Episodes.Many(RecoveryStrategy.LegalAction, 3, 5, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 20, 40, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Early))
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 1, 5, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Late))
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 20, 40, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Early)).ToList();

        var verdict = PolicyEvaluation.Decide(PolicyEvaluation.CompareArms(closed, closed.Select(e => (e.Arm, e.PolicyVersion, e.AssignedAt)).ToList()), 10, 0);

        Assert.False(verdict.Promoted);
        Assert.Equal("Not enough closed episodes in the cells where the policies differ (band Low, Late stage, segment Stretched): challenger policy-2 has 5, champion policy-1 has 5; 10 each are needed.",
            verdict.Reason);
    }

    [Fact]
    public void Promotion_leaves_out_what_the_fallback_rules_decided_on_either_arm()
    {
        // While the model had failed its gate the rules sent 60 loans a side to settlement in the High band's late stage,
        // where the challenger assigns legal action and the champion settlement. The rules' episodes made the arms look alike
        // there: counted, the challenger's 10 legal actions would be outnumbered 6 to 1 in its own arm.
        var rules = Episodes.Many(RecoveryStrategy.Settlement, 30, 60, arm: PolicyArm.Challenger, policy: "policy-2", stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 30, 60, arm: PolicyArm.Champion, stage: DelinquencyStage.Late))
            .Select(e => e with { RuleBased = true });
        var decided = Episodes.Many(RecoveryStrategy.LegalAction, 9, 10, arm: PolicyArm.Challenger, policy: "policy-2", stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Settlement, 2, 10, arm: PolicyArm.Champion, stage: DelinquencyStage.Late));
        var closed = rules.Concat(decided).ToList();

        var (comparison, verdict) = CompareAndDecide(closed, minimumEpisodes: 10);

        AssertPromotedOnOneCell(comparison, verdict, "band High, Late stage, segment Stretched", (10, 10, 70, 70), differencePoints: 70);
    }

    [Fact]
    public void Nothing_is_compared_until_a_cell_where_the_policies_differ_has_episodes_on_both_arms()
    {
        // The challenger changed the Low band's late stage, which no champion loan has reached since it started; everywhere
        // else both assign reminder. Over those 100 loans a side the arms are the same policy, so no decision may rest on them.
        var closed = Episodes.Many(RecoveryStrategy.LegalAction, 4, 5, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 50, 100, RiskBand.Low, PolicyArm.Challenger, "policy-2", stage: DelinquencyStage.Early))
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 50, 100, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Early)).ToList();

        var (comparison, verdict) = CompareAndDecide(closed, minimumEpisodes: 10);

        Assert.Empty(comparison.ComparedCells!);
        Assert.Equal((0, 0, 105, 100), (comparison.ChallengerEpisodes, comparison.ChampionEpisodes, comparison.ChallengerArmEpisodes, comparison.ChampionArmEpisodes));
        Assert.False(verdict.Promoted);
        Assert.Equal("Not enough closed episodes in the cells where the policies differ (none yet: no cell where the arms' policy-decided episodes received different strategies): challenger policy-2 has 0, champion policy-1 has 0; 10 each are needed.",
            verdict.Reason);
    }

    [Fact]
    public void The_champions_choice_in_a_cell_is_what_its_policy_assigned_not_what_the_fallback_rules_did()
    {
        // The rules (the model had failed its gate) sent 40 of the Low band's late loans to legal action; the champion policy
        // itself sent 5 to reminder. Randomised episodes measured settlement best. The rules' legal actions, not drawn at
        // random, and the 10 reminders explored meanwhile, all recovered, are no estimate of anything in the model's Low
        // band: their band came from a model that had failed its gate.
        var championArm = Episodes.Many(RecoveryStrategy.LegalAction, 40, 40, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Late)
            .Select(e => e with { RuleBased = true })
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 1, 5, RiskBand.Low, PolicyArm.Champion, stage: DelinquencyStage.Late)).ToList();
        var randomised = Episodes.Many(RecoveryStrategy.Settlement, 5, 10, RiskBand.Low, stage: DelinquencyStage.Late)
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 2, 10, RiskBand.Low, stage: DelinquencyStage.Late))
            .Concat(Episodes.Many(RecoveryStrategy.Reminder, 10, 10, RiskBand.Low, stage: DelinquencyStage.Late).Select(e => e with { RuleBased = true })).ToList();

        var cell = Assert.Single(PolicyRefinement.Refine(randomised, championArm, minimumCellEpisodes: 5));

        Assert.Equal(RecoveryStrategy.Reminder, PolicyRefinement.ChampionChoice(championArm, RiskBand.Low, null, DelinquencyStage.Late));
        Assert.Equal((RecoveryStrategy.Settlement, "measured", 25), (cell.Strategy, cell.Basis, cell.Episodes));
        Assert.EndsWith("against Reminder 20.0% (200.00 per loan, 15 loans).", cell.Reason);
    }
}
