using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.Ml.Tests.Evaluation;

public class DeLong_auc
{
    private static double BruteForceAuc(double[] s, int[] y)
    {
        double wins = 0; long pairs = 0;
        for (int i = 0; i < s.Length; i++)
            for (int j = 0; j < s.Length; j++)
                if (y[i] == 1 && y[j] == 0) { pairs++; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; }
        return wins / pairs;
    }

    // DeLong's variance straight from the definition: placement values over all pairs, O(m·n).
    private static double BruteForceVariance(double[] s, int[] y)
    {
        var pos = s.Where((_, i) => y[i] == 1).ToArray();
        var neg = s.Where((_, i) => y[i] == 0).ToArray();
        static double Psi(double a, double b) => a > b ? 1 : a == b ? 0.5 : 0;
        var v10 = pos.Select(p => neg.Average(q => Psi(p, q))).ToArray();
        var v01 = neg.Select(q => pos.Average(p => Psi(p, q))).ToArray();
        static double Var(double[] v) { double m = v.Average(); return v.Sum(t => (t - m) * (t - m)) / (v.Length - 1); }
        return Var(v10) / pos.Length + Var(v01) / neg.Length;
    }

    [Fact]
    public void Matches_brute_force_pairwise_auc_and_variance_with_ties()
    {
        var rng = new Random(7);
        for (int rep = 0; rep < 20; rep++)
        {
            int n = 30 + rng.Next(200);
            var y = new int[n];
            var s = new double[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = rng.NextDouble() < 0.3 ? 1 : 0;
                s[i] = Math.Round(rng.NextDouble() * 5 + y[i] * rng.NextDouble() * 2, 1); // many ties
            }
            y[0] = 1; y[1] = 0;
            var r = Auc.DeLong(s, y);
            Assert.Equal(BruteForceAuc(s, y), r.Value, 12);
            Assert.Equal(BruteForceVariance(s, y), r.Variance, 12);
        }
    }

    [Fact]
    public void Reproduces_a_published_confidence_interval()
    {
        // Worked example published with a widely used Python DeLong implementation:
        // AUC 0.8, variance 0.02875, 95% CI (0.4676719375452081, 1.0).
        double[] s = [0.21, 0.32, 0.63, 0.35, 0.92, 0.79, 0.82, 0.99, 0.04];
        int[] y = [0, 1, 0, 0, 1, 1, 0, 1, 0];
        var r = Auc.DeLong(s, y);
        Assert.Equal(0.8, r.Value, 12);
        Assert.Equal(0.02875, r.Variance, 12);
        Assert.Equal(0.4676719375452081, r.Low, 7);
        Assert.Equal(1.0, r.High, 12);
        Assert.Equal(0.6, r.Gini, 12);
    }

    [Fact]
    public void Perfect_and_reversed_rankings_give_one_and_zero()
    {
        double[] s = [0.1, 0.2, 0.3, 0.4];
        Assert.Equal(1.0, Auc.DeLong(s, [0, 0, 1, 1]).Value);
        Assert.Equal(0.0, Auc.DeLong(s, [1, 1, 0, 0]).Value);
    }

    [Fact]
    public void Refuses_a_single_class()
    {
        var ex = Assert.Throws<ArgumentException>(() => Auc.DeLong([0.1, 0.2], [1, 1]));
        Assert.Contains("both classes", ex.Message);
    }
}

public class Classification_metrics
{
    [Fact]
    public void Ks_is_the_largest_cdf_gap()
    {
        // Positives at 0.6..0.9, negatives at 0.1..0.7: gap reaches 3/4 after 0.5.
        double[] s = [0.6, 0.7, 0.8, 0.9, 0.1, 0.3, 0.5, 0.7];
        int[] y = [1, 1, 1, 1, 0, 0, 0, 0];
        Assert.Equal(0.75, Metrics.Ks(s, y), 12);
        Assert.Equal(1.0, Metrics.Ks([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void Brier_and_log_loss_match_hand_computation()
    {
        double[] p = [0.9, 0.2, 0.6];
        int[] y = [1, 0, 0];
        Assert.Equal((0.01 + 0.04 + 0.36) / 3, Metrics.Brier(p, y), 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.4)) / 3, Metrics.LogLoss(p, y), 12);
        Assert.True(double.IsFinite(Metrics.LogLoss([0.0, 1.0], [1, 0])));
    }

    [Fact]
    public void Ece_is_zero_when_each_bin_rate_equals_its_mean_probability()
    {
        // 10 rows at 0.25 with 2.5 positives is impossible; use 0.2 → 2 of 10, 0.8 → 8 of 10.
        var p = Enumerable.Repeat(0.2, 10).Concat(Enumerable.Repeat(0.8, 10)).ToArray();
        int[] y = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
        Assert.Equal(0, Metrics.Ece(p, y), 12);
        // Everything predicted 0.9 but only half positive: ECE = 0.4.
        Assert.Equal(0.4, Metrics.Ece([0.9, 0.9, 0.9, 0.9], [1, 0, 1, 0]), 12);
    }

    [Fact]
    public void Confusion_matrix_counts_at_threshold()
    {
        var cm = Metrics.Confusion([0.9, 0.6, 0.4, 0.2, 0.5], [1, 0, 1, 0, 1], 0.5);
        Assert.Equal((2, 1, 1, 1), (cm.TruePositives, cm.FalsePositives, cm.TrueNegatives, cm.FalseNegatives));
        Assert.Equal(2.0 / 3, cm.Precision, 12);
        Assert.Equal(2.0 / 3, cm.Recall, 12);
        Assert.Equal(0.6, cm.Accuracy, 12);
    }

    [Fact]
    public void Evaluate_bundles_every_metric()
    {
        var r = Metrics.Evaluate([0.9, 0.6, 0.4, 0.2, 0.5, 0.1], [1, 0, 1, 0, 1, 0]);
        Assert.Equal(6, r.Rows);
        Assert.Equal(0.5, r.PositiveRate, 12);
        Assert.InRange(r.Auc.Value, 0, 1);
        Assert.Equal(2 * r.Auc.Value - 1, r.Gini, 12);
    }
}

public class Population_stability
{
    [Fact]
    public void Identical_distributions_give_zero()
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, 5000).Select(_ => rng.NextDouble()).ToArray();
        Assert.Equal(0, Psi.Compute(a, a).Value, 12);
        Assert.Equal("stable", Psi.Compute(a, a).Interpretation);
    }

    [Fact]
    public void Shifted_distributions_exceed_two_tenths()
    {
        var rng = new Random(2);
        var a = Enumerable.Range(0, 5000).Select(_ => Gauss(rng)).ToArray();
        var b = Enumerable.Range(0, 5000).Select(_ => Gauss(rng) + 0.8).ToArray();
        var same = Enumerable.Range(0, 5000).Select(_ => Gauss(rng)).ToArray();
        Assert.True(Psi.Compute(a, b).Value > 0.2, $"PSI {Psi.Compute(a, b).Value}");
        Assert.True(Psi.Compute(a, same).Value < 0.02);
    }

    [Fact]
    public void Missing_values_and_categories_have_their_own_bins()
    {
        var r = Psi.Compute([1, 2, 3, double.NaN], [1, 2, 3, 4]);
        Assert.Contains(r.Bins, b => b.Label == "missing" && b.ExpectedShare == 0.25 && b.ActualShare == 0);
        Assert.True(r.Value > 0);
        var c = Psi.Compute(["a", "a", "b", null], ["a", "b", "b", "b"]);
        Assert.True(c.Value > 0.2);
        Assert.Equal(0, Psi.Compute(["a", "b"], ["b", "a"]).Value, 12);
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

public class Stratified_splits
{
    private static int[] Labels(int n, double rate, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() < rate ? 1 : 0).ToArray();
    }

    [Fact]
    public void Holdout_keeps_class_shares_and_is_seeded()
    {
        var y = Labels(1000, 0.2, 3);
        var s = Splits.StratifiedHoldout(y, 0.3, 11);
        Assert.Equal(1000, s.Train.Length + s.Test.Length);
        Assert.Empty(s.Train.Intersect(s.Test));
        double all = y.Average(), test = s.Test.Average(i => y[i]);
        Assert.InRange(test, all - 0.005, all + 0.005);
        Assert.InRange(s.Test.Length, 295, 305);
        Assert.Equal(s.Test, Splits.StratifiedHoldout(y, 0.3, 11).Test);
        Assert.NotEqual(s.Test, Splits.StratifiedHoldout(y, 0.3, 12).Test);
    }

    [Fact]
    public void K_fold_partitions_every_row_once_with_balanced_classes()
    {
        var y = Labels(503, 0.3, 4);
        var folds = Splits.StratifiedKFold(y, 5, 9);
        Assert.Equal(5, folds.Count);
        var seen = folds.SelectMany(f => f.Test).OrderBy(i => i).ToArray();
        Assert.Equal(Enumerable.Range(0, 503), seen);
        int positives = y.Sum();
        foreach (var f in folds)
        {
            Assert.Equal(503, f.Train.Length + f.Test.Length);
            Assert.InRange(f.Test.Sum(i => y[i]), positives / 5, positives / 5 + 1);
        }
    }

    [Fact]
    public void K_fold_refuses_too_few_rows_of_a_class()
    {
        var ex = Assert.Throws<ArgumentException>(() => Splits.StratifiedKFold([1, 1, 0, 0, 0, 0], 5, 1));
        Assert.Contains("2 positive", ex.Message);
    }
}

public class Quality_gate
{
    [Fact]
    public void An_interval_straddling_chance_is_not_usable_and_says_so()
    {
        var v = QualityGate.Assess(new AucResult(0.49, 0.0016, 0.41, 0.57, 0.95, 60, 90));
        Assert.False(v.Usable);
        Assert.Equal("Not usable: holdout AUC 0.49 (95% CI 0.41–0.57) is not distinguishable from chance.", v.Reason);
    }

    [Fact]
    public void An_interval_clear_of_chance_is_usable()
    {
        var v = QualityGate.Assess(new AucResult(0.78, 0.0004, 0.74, 0.82, 0.95, 300, 700));
        Assert.True(v.Usable);
        Assert.StartsWith("Usable: holdout AUC 0.78 (95% CI 0.74–0.82)", v.Reason);
    }

    [Fact]
    public void Worse_than_chance_and_tiny_holdouts_are_not_usable()
    {
        Assert.Contains("worse than chance", QualityGate.Assess(new AucResult(0.3, 0.001, 0.24, 0.36, 0.95, 100, 100)).Reason);
        var tiny = QualityGate.Assess(new AucResult(1, 0, 1, 1, 0.95, 2, 100));
        Assert.False(tiny.Usable);
        Assert.Contains("only 2 rows", tiny.Reason);
    }

    [Fact]
    public void Random_scores_on_noise_are_not_usable()
    {
        var rng = new Random(5);
        var s = Enumerable.Range(0, 150).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 150).Select(_ => rng.NextDouble() < 0.4 ? 1 : 0).ToArray();
        Assert.False(QualityGate.Assess(s, y).Usable);
    }
}
