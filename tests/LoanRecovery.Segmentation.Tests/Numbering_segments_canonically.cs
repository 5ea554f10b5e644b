using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Numbering_segments_canonically
{
    [Fact]
    public void Centroids_are_ordered_by_income_then_by_the_next_features()
    {
        var centroids = new[] { new[] { 3.0, 1 }, new[] { 1.0, 5 }, new[] { 2.0, 0 }, new[] { 1.0, 2 } };

        Assert.Equal([3, 1, 2, 0], CanonicalOrder.Of(centroids));
    }

    [Fact]
    public void The_same_borrowers_in_any_order_get_the_same_segment_ids_and_names()
    {
        var rows = Portfolio.Rows("C");
        var reference = SegmentFitter.Fit(rows, Portfolio.Settings());

        for (var seed = 1; seed <= 5; seed++)
        {
            var shuffled = rows.ToArray();
            new Random(seed).Shuffle(shuffled);
            var fit = SegmentFitter.Fit(shuffled, Portfolio.Settings());

            Assert.Equal(reference.Model.Labels, fit.Model.Labels);
            foreach (var row in rows)
                Assert.Equal(reference.SegmentOf[row.BorrowerId], fit.SegmentOf[row.BorrowerId]);
        }
    }

    [Fact]
    public void Segment_one_is_the_lowest_income_and_each_kind_of_borrower_shares_one_segment()
    {
        var fit = SegmentFitter.Fit(Portfolio.Rows("C"), Portfolio.Settings());

        var incomes = fit.Model.Centroids.Select(c => c[BorrowerFeatures.MonthlyIncomeIndex]).ToArray();
        Assert.Equal(incomes.Order(), incomes);
        foreach (var group in Portfolio.Groups)
        {
            var segments = Enumerable.Range(1, Portfolio.PerGroup).Select(i => fit.SegmentOf[Portfolio.BorrowerId("C", group, i)]).Distinct();
            Assert.Single(segments);
        }
    }

    [Fact]
    public void Nearest_centroid_assignment_agrees_with_the_fit()
    {
        var rows = Portfolio.Rows("C");
        var fit = SegmentFitter.Fit(rows, Portfolio.Settings());

        foreach (var row in rows)
            Assert.Equal(fit.SegmentOf[row.BorrowerId], fit.Model.Assign(row.Features));
    }
}
