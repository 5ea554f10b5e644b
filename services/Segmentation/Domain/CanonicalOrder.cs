namespace LoanRecovery.Segmentation.Domain;

/// <summary>
/// The order segments are numbered in, so that the same data always gives the same ids whatever order k-means found
/// the clusters in: centroids sorted by their coordinates feature by feature (income first, then loan amount, …),
/// so segment 1 is the lowest-income one.
/// </summary>
public static class CanonicalOrder
{
    /// <summary><c>order[i]</c> is the cluster that becomes segment <c>i + 1</c>.</summary>
    public static int[] Of(IReadOnlyList<double[]> centroids)
    {
        var order = Enumerable.Range(0, centroids.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var x = centroids[a];
            var y = centroids[b];
            for (var j = 0; j < x.Length; j++)
            {
                var c = x[j].CompareTo(y[j]);
                if (c != 0)
                    return c;
            }
            return a.CompareTo(b);
        });
        return order;
    }
}
