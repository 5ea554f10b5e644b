using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Recovery_statistics
{
    private static readonly BandLabels Labels = new(0.50, 0.75);

    [Fact]
    public void The_wilson_interval_matches_the_hand_computed_one()
    {
        // 8 of 10: centre (0.8 + z²/20)/(1 + z²/10), half-width z/(1 + z²/10)·√(0.016 + z²/400), z = 1.959964.
        var rate = Statistics.Wilson(8, 10);

        Assert.Equal(0.8, rate.Estimate, 12);
        Assert.Equal(0.490162, rate.Low, 6);
        Assert.Equal(0.943318, rate.High, 6);
    }

    [Fact]
    public void The_newcombe_interval_reproduces_the_published_example_and_the_z_test_the_hand_computed_one()
    {
        // Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
        var published = Statistics.NewcombeDifference(56, 70, 48, 80);
        Assert.Equal(0.2, published.Difference, 12);
        Assert.Equal(0.0524, published.Low, 4);
        Assert.Equal(0.3339, published.High, 4);

        // 8/10 − 2/10: pooled p = 0.5, se = √(0.25·0.2), z = 0.6/0.2236 = 2.6833, p = 0.0073.
        var hand = Statistics.NewcombeDifference(8, 10, 2, 10);
        Assert.Equal(0.161824, hand.Low, 6);
        Assert.Equal(0.802682, hand.High, 6);
        Assert.Equal(2.683282, hand.Statistic, 6);
        Assert.Equal(0.007290, hand.PValue, 5);
    }

    [Fact]
    public void Welch_and_student_intervals_match_the_hand_computed_ones()
    {
        // Equal variances 3.7 and sizes 5: se = √(2·3.7/5) = 1.216553, df = 8, t(0.975, 8) = 2.306004.
        var welch = Statistics.WelchDifference([10, 12, 9, 14, 11], [7, 9, 6, 11, 8]);
        Assert.Equal(3.0, welch.Difference, 9);
        Assert.Equal(0.194624, welch.Low, 5);
        Assert.Equal(5.805376, welch.High, 5);
        Assert.Equal(2.465985, welch.Statistic, 5);
        Assert.InRange(welch.PValue, 0.038, 0.040);

        // 100, 200, 300: sd 100, t(0.975, 2) = 4.302653, half-width 248.414.
        var mean = Statistics.Mean([100, 200, 300]);
        Assert.Equal(-48.414, mean.Low, 3);
        Assert.Equal(448.414, mean.High, 3);
    }

    [Fact]
    public void The_ratio_of_sums_interval_matches_the_hand_computed_one()
    {
        // (4, 4), (3, 5), (5, 11): R = 12/20 = 0.6; linearised (y − R·x)/x̄ = (0.24, 0, −0.24), variance 0.0576, over n: 0.0192;
        // half-width t(2) · √0.0192 = 4.302653 · 0.138564 = 0.596193.
        var rate = Statistics.RatioOfSums([(4, 4), (3, 5), (5, 11)]);

        Assert.Equal(0.6, rate.Estimate, 12);
        Assert.Equal(0.003807, rate.Low, 6);
        Assert.Equal(1.196193, rate.High, 6);
    }

    [Fact]
    public void A_difference_of_ratios_over_equal_balances_is_welchs_difference_of_means()
    {
        // With every x the same the ratio of sums is the mean of y over x, so the two tests must agree exactly.
        double[] first = [5, 7, 9, 4], second = [2, 3, 1, 6, 3];
        var ratios = Statistics.RatioDifference(first.Select(y => (y, 1.0)).ToList(), second.Select(y => (y, 1.0)).ToList());
        var means = Statistics.WelchDifference(first, second);

        Assert.Equal((means.Difference, means.Low, means.High, means.PValue), (ratios.Difference, ratios.Low, ratios.High, ratios.PValue));
        Assert.Equal(3.25, ratios.Difference, 12);
    }

    [Fact]
    public void Strategy_effectiveness_in_a_band_carries_the_hand_computed_difference_and_interval()
    {
        var episodes = Episodes.Many(RecoveryStrategy.LegalAction, 2, 10).Concat(Episodes.Many(RecoveryStrategy.Settlement, 8, 10)).ToList();

        var band = Assert.Single(Effectiveness.ByBand(episodes, Labels));

        Assert.Equal(RiskBand.High, band.Band);
        var settlement = band.Strategies.Single(s => s.Key == "Settlement");
        Assert.Equal(0.8, settlement.RecoveryRate, 12);
        Assert.Equal(0.490162, settlement.RecoveryRateLow, 6);
        Assert.Equal(800m, settlement.NetRecoveryPerLoan);
        var comparison = Assert.Single(band.Comparisons); // Settlement − LegalAction (strategies in enum order)
        Assert.Equal(RecoveryStrategy.Settlement, comparison.First);
        Assert.Equal(60, comparison.RecoveryRatePoints.Difference, 9);
        Assert.Equal(16.1824, comparison.RecoveryRatePoints.Low, 4);
        Assert.Equal(80.2682, comparison.RecoveryRatePoints.High, 4);
    }

    [Fact]
    public void A_suggestion_appears_when_the_interval_excludes_zero()
    {
        var episodes = Episodes.Many(RecoveryStrategy.LegalAction, 2, 10).Concat(Episodes.Many(RecoveryStrategy.Settlement, 8, 10)).ToList();

        var suggestion = Assert.Single(Suggestions.From(Effectiveness.ByBand(episodes, Labels), null, minimumGroupSize: 10));

        Assert.Equal("In the high band (probability above 0.75), settlement recovered 60 points more than legal action (95% CI 16–80), 20 loans: prefer settlement there.",
            suggestion.Text);
    }

    [Fact]
    public void No_suggestion_appears_when_the_interval_includes_zero_or_the_groups_are_too_small()
    {
        var close = Episodes.Many(RecoveryStrategy.LegalAction, 4, 10).Concat(Episodes.Many(RecoveryStrategy.Settlement, 6, 10)).ToList();
        var clear = Episodes.Many(RecoveryStrategy.LegalAction, 2, 10).Concat(Episodes.Many(RecoveryStrategy.Settlement, 8, 10)).ToList();

        Assert.True(Effectiveness.ByBand(close, Labels)[0].Comparisons[0].RecoveryRatePoints.Low < 0);
        Assert.Empty(Suggestions.From(Effectiveness.ByBand(close, Labels), null, minimumGroupSize: 10));
        Assert.Empty(Suggestions.From(Effectiveness.ByBand(clear, Labels), null, minimumGroupSize: 11));
    }

    [Fact]
    public void Recovery_figures_group_by_strategy_with_cost_to_collect_and_net_recovery()
    {
        var episodes = Episodes.Many(RecoveryStrategy.Settlement, 3, 4, cost: 10m).ToList();

        var group = Assert.Single(RecoveryFigures.By(GroupBy.Strategy, episodes));

        Assert.Equal(4, group.Episodes);
        Assert.Equal(3000m, group.AmountRecovered);
        Assert.Equal(40m, group.ContactCost);
        Assert.Equal(40.0 / 3000.0, group.CostToCollect!.Value, 12);
        Assert.Equal(740m, group.NetRecoveryPerLoan); // (3000 − 40) / 4
        Assert.Equal(0.75, group.AmountRecoveryRate!.Value, 12);
    }

    [Fact]
    public void Roll_rates_count_moves_between_days_past_due_buckets_at_consecutive_payments()
    {
        var d = new DateOnly(2026, 1, 1);
        var t = DateTimeOffset.UnixEpoch;
        var points = new[]
        {
            new DelinquencyPoint("A", d, t, 0), new DelinquencyPoint("A", d.AddMonths(1), t, 31), new DelinquencyPoint("A", d.AddMonths(2), t, 61),
            new DelinquencyPoint("B", d, t, 0), new DelinquencyPoint("B", d.AddMonths(1), t, 0),
        };

        var rows = RollRates.Compute(points, [30, 60, 90]);

        Assert.Equal(["current", "1-30", "31-60", "61-90", "91+"], rows.Select(r => r.From));
        var current = rows[0];
        Assert.Equal(2, current.Transitions);
        Assert.Equal(0.5, current.To.Single(c => c.To == "current").Share);
        Assert.Equal(0.5, current.To.Single(c => c.To == "31-60").Share);
        Assert.Equal(1, rows[2].To.Single(c => c.To == "61-90").Loans);
    }
}
