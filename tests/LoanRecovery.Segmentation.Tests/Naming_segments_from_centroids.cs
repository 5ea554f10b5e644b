using System.Text.RegularExpressions;
using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

public sealed partial class Naming_segments_from_centroids
{
    private static readonly LabelBasis Basis = new(IncomeLowerTercile: 50_000, IncomeUpperTercile: 150_000, LoanLowerTercile: 300_000, LoanUpperTercile: 1_200_000);
    private static readonly LabelThresholds Thresholds = new(BehindDaysPastDue: 90, BehindMissedPayments: 3);

    // monthlyIncome, loanAmount, outstanding, emiToIncome, missedPayments, daysPastDue, collateralCover
    private static double[] Centroid(double income, double loan, double missed = 0, double dpd = 0, double emi = 0.2, double cover = 1) =>
        [income, loan, loan * 0.6, emi, missed, dpd, cover];

    [GeneratedRegex("^[a-z][a-z ,-]*[a-z]$")]
    private static partial Regex Words();

    [Fact]
    public void Income_and_loan_size_are_worded_from_the_portfolio_terciles()
    {
        var centroids = new[] { Centroid(20_000, 100_000), Centroid(100_000, 700_000), Centroid(200_000, 1_800_000) };

        var labels = SegmentLabeller.Label(centroids, centroids, Basis, Thresholds);

        Assert.Equal(["low income, small loan", "middle income, moderate loan", "high income, large loan"], labels);
    }

    [Fact]
    public void A_centroid_far_past_due_or_with_many_missed_payments_is_behind_on_payments()
    {
        var centroids = new[] { Centroid(20_000, 700_000, dpd: 120), Centroid(20_000, 100_000, missed: 4), Centroid(20_000, 1_800_000, missed: 1, dpd: 20) };

        var labels = SegmentLabeller.Label(centroids, centroids, Basis, Thresholds);

        Assert.Equal("low income, moderate loan, behind on payments", labels[0]);
        Assert.Equal("low income, small loan, behind on payments", labels[1]);
        Assert.Equal("low income, large loan", labels[2]);
    }

    [Fact]
    public void Segments_that_would_share_a_name_are_told_apart_by_their_most_distinctive_feature()
    {
        var centroids = new[] { Centroid(20_000, 100_000, emi: 0.1, cover: 1.0), Centroid(22_000, 110_000, emi: 0.6, cover: 1.1) };
        // As z-scores: the instalment burden is where they differ most.
        var z = new[] { new[] { -1.0, -1, -1, -1.5, 0, 0, 0.1 }, new[] { -0.9, -0.9, -0.9, 1.5, 0, 0, 0.2 } };

        var labels = SegmentLabeller.Label(centroids, z, Basis, Thresholds);

        Assert.Equal("low income, small loan, lighter instalment burden", labels[0]);
        Assert.Equal("low income, small loan, heavier instalment burden", labels[1]);
    }

    [Fact]
    public void Identical_centroids_still_get_distinct_names_in_words()
    {
        var centroids = new[] { Centroid(20_000, 100_000), Centroid(20_000, 100_000), Centroid(20_000, 100_000) };

        var labels = SegmentLabeller.Label(centroids, centroids, Basis, Thresholds);

        Assert.Equal(3, labels.Distinct().Count());
        Assert.All(labels, l => Assert.Matches(Words(), l));
    }

    [Fact]
    public void A_fitted_model_has_distinct_names_in_words_and_never_segment_numbers()
    {
        var fit = SegmentFitter.Fit(Portfolio.Rows("N"), Portfolio.Settings());

        Assert.Equal(4, fit.Model.Labels.Distinct().Count());
        Assert.All(fit.Model.Labels, l => Assert.Matches(Words(), l));
        Assert.DoesNotContain(fit.Model.Labels, l => l.Contains("segment", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(fit.Model.Labels, l => l.Contains("behind on payments"));
        Assert.Contains(fit.Model.Labels, l => l.StartsWith("high income, large loan"));
    }
}
