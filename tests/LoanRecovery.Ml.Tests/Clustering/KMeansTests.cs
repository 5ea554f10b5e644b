using LoanRecovery.Ml.Clustering;

namespace LoanRecovery.Ml.Tests.Clustering;

public class KMeans_clustering
{
    internal static List<double[]> Blobs(int perBlob, int seed, params (double X, double Y, double Sd)[] centres)
    {
        var rng = new Random(seed);
        var rows = new List<double[]>();
        foreach (var (cx, cy, sd) in centres)
            for (int i = 0; i < perBlob; i++)
                rows.Add([cx + sd * Gauss(rng), cy + sd * Gauss(rng)]);
        return rows;
    }

    internal static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void Finds_two_well_separated_blobs_with_centroids_in_original_units()
    {
        // Columns on very different scales: income-like and age-like.
        var rows = Blobs(300, 1, (20000, 30, 1), (90000, 60, 1));
        var rng = new Random(8);
        foreach (var r in rows) r[0] += 1000 * Gauss(rng);   // income spread 1000, age spread 1
        var m = KMeans.Fit(rows, new KMeansOptions { K = 2, Seed = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([300, 300], m.Sizes.OrderBy(s => s));
        var c = m.Centroids().OrderBy(v => v[0]).ToArray();
        Assert.InRange(c[0][0], 19800, 20200);
        Assert.InRange(c[1][0], 89800, 90200);
        Assert.InRange(c[0][1], 29, 31);
        Assert.InRange(c[1][1], 59, 61);
        // every row of a blob in one cluster
        Assert.Single(m.Labels.Take(300).Distinct());
        Assert.Single(m.Labels.Skip(300).Distinct());
        Assert.Equal(m.Labels[0], m.Predict([20500, 31]));
    }

    [Fact]
    public void Chooses_two_clusters_by_silhouette()
    {
        var rows = Blobs(250, 2, (0, 0, 0.5), (10, 10, 0.5));
        var sel = KSelector.Choose(rows, 2, 6, new KMeansOptions { Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, sel.Best.K);
        Assert.Equal(5, sel.Candidates.Count);
        Assert.True(sel.Best.Silhouette > 0.8, $"silhouette {sel.Best.Silhouette}");
    }

    [Fact]
    public void Is_deterministic_for_a_seed_and_independent_of_threads()
    {
        var rows = Blobs(3000, 3, (0, 0, 1), (3, 0, 1), (0, 3, 1), (3, 3, 1));
        var a = KMeans.Fit(rows, new KMeansOptions { K = 4, Seed = 9, Threads = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var b = KMeans.Fit(rows, new KMeansOptions { K = 4, Seed = 9, Threads = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(a.Inertia, b.Inertia);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Centroids().SelectMany(v => v), b.Centroids().SelectMany(v => v));
    }

    [Fact]
    public void More_clusters_never_increase_inertia_much_and_restarts_help()
    {
        var rows = Blobs(500, 4, (0, 0, 1), (4, 0, 1), (8, 0, 1), (12, 0, 1), (16, 0, 1));
        double prev = double.PositiveInfinity;
        for (int k = 1; k <= 6; k++)
        {
            var m = KMeans.Fit(rows, new KMeansOptions { K = k, Seed = 5 }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(m.Inertia <= prev * 1.0001, $"k={k}");
            prev = m.Inertia;
        }
        var one = KMeans.Fit(rows, new KMeansOptions { K = 5, Seed = 5, Restarts = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var ten = KMeans.Fit(rows, new KMeansOptions { K = 5, Seed = 5, Restarts = 10 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(ten.Inertia <= one.Inertia);
    }

    [Fact]
    public void The_result_is_a_lloyd_fixed_point_every_row_at_its_nearest_centre()
    {
        // Overlapping blobs, so that many rows sit near boundaries where the distance bounds must not skip wrongly.
        var rows = Blobs(4000, 11, (0, 0, 1.5), (2, 1, 1.5), (1, 3, 1.5), (4, 2, 1.5), (3, -1, 1.5));
        var m = KMeans.Fit(rows, new KMeansOptions { K = 7, Seed = 4, Tolerance = 0, MaxIterations = 1000 }, cancellationToken: TestContext.Current.CancellationToken);
        var z = rows.Select(r => m.Transform(r)).ToArray();
        var centres = Enumerable.Range(0, m.K).Select(m.ClusteringCentroid).ToArray();
        double inertia = 0;
        for (int i = 0; i < z.Length; i++)
        {
            var d = centres.Select(c => (c[0] - z[i][0]) * (c[0] - z[i][0]) + (c[1] - z[i][1]) * (c[1] - z[i][1])).ToArray();
            Assert.True(d[m.Labels[i]] <= d.Min() + 1e-9, $"row {i} is not at its nearest centre");
            inertia += d[m.Labels[i]];
        }
        Assert.Equal(inertia, m.Inertia, 6);
        for (int c = 0; c < m.K; c++)
        {
            var members = z.Where((_, i) => m.Labels[i] == c).ToArray();
            Assert.Equal(members.Average(v => v[0]), centres[c][0], 9);
            Assert.Equal(members.Average(v => v[1]), centres[c][1], 9);
        }
    }

    [Fact]
    public void Silhouette_matches_a_hand_computed_value()
    {
        // 1-D, no standardisation: points 0,1 | 10,11 → a = 1, b = 10 or 9.5 ... computed exactly below.
        double[] x = [0, 1, 10, 11];
        int[] labels = [0, 0, 1, 1];
        double s0 = (10.5 - 1) / 10.5, s1 = (9.5 - 1) / 9.5;
        Assert.Equal((s0 + s1 + s1 + s0) / 4, Silhouette.Score(x, 4, 1, labels, 2), 12);
    }

    [Fact]
    public void Sampled_silhouette_is_deterministic_and_close_to_exact()
    {
        var rows = Blobs(3000, 6, (0, 0, 1), (5, 0, 1));
        var m = KMeans.Fit(rows, new KMeansOptions { K = 2, Seed = 2, Standardize = false }, cancellationToken: TestContext.Current.CancellationToken);
        var flat = rows.SelectMany(r => r).ToArray();
        double exact = Silhouette.Score(flat, rows.Count, 2, m.Labels, 2, sampleSize: int.MaxValue);
        double s1 = Silhouette.Score(flat, rows.Count, 2, m.Labels, 2, sampleSize: 1500, seed: 4);
        double s2 = Silhouette.Score(flat, rows.Count, 2, m.Labels, 2, sampleSize: 1500, seed: 4);
        Assert.Equal(s1, s2);
        Assert.InRange(s1, exact - 0.02, exact + 0.02);
    }

    [Fact]
    public void Missing_values_are_refused_naming_the_row()
    {
        var ex = Assert.Throws<ArgumentException>(() => KMeans.Fit([[1.0, 2.0], [double.NaN, 1.0], [3.0, 3.0]], new KMeansOptions { K = 2 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("Row 1, column 0", ex.Message);
    }
}
