using LoanRecovery.PerformanceTracking.Domain;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Population_stability
{
    private static List<ScoredPoint> Sample(int n, double shift, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            double p = Math.Clamp(random.NextDouble() * 0.6 + shift, 0, 1);
            return new ScoredPoint(p, new Dictionary<string, double?>
            {
                ["days_past_due"] = Math.Round(random.NextDouble() * 90 + shift * 200),
                ["monthly_income"] = Math.Round(20000 + random.NextDouble() * 30000),
            });
        }).ToList();
    }

    [Fact]
    public void Is_zero_for_identical_distributions_and_nothing_is_flagged()
    {
        var reference = Sample(500, 0, seed: 1);

        var report = Drift.Compute("risk-1", reference, reference.ToList(), flagAbove: 0.2, bins: 10, minimumSample: 50);

        Assert.True(report.Computed);
        Assert.False(report.AnyFlagged);
        Assert.Equal(["score", "days_past_due", "monthly_income"], report.Items.Select(i => i.Variable));
        Assert.All(report.Items, i => Assert.Equal(0, i.Psi!.Value, 12));
    }

    [Fact]
    public void Flags_a_shifted_score_and_feature_but_not_an_unchanged_feature()
    {
        var report = Drift.Compute("risk-1", Sample(500, 0, seed: 1), Sample(500, 0.3, seed: 2), flagAbove: 0.2, bins: 10, minimumSample: 50);

        Assert.True(report.AnyFlagged);
        Assert.True(report.Items.Single(i => i.Variable == "score").Flagged);
        Assert.True(report.Items.Single(i => i.Variable == "days_past_due").Flagged);
        var income = report.Items.Single(i => i.Variable == "monthly_income");
        Assert.False(income.Flagged);
        Assert.Contains("score", report.Statement);
    }

    [Fact]
    public void Is_not_computed_on_too_small_a_sample_and_says_so()
    {
        var report = Drift.Compute("risk-1", Sample(20, 0, 1), Sample(500, 0, 2), 0.2, 10, minimumSample: 50);

        Assert.False(report.Computed);
        Assert.Equal("Not computed: 20 reference and 500 current scored loans; 50 of each are needed.", report.Statement);
    }
}
