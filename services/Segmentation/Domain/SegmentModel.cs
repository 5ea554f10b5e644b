namespace LoanRecovery.Segmentation.Domain;

/// <summary>Settings of one fit: k (or a range to choose from by silhouette), seed, starts and the naming thresholds.</summary>
public sealed record FitSettings(int MinK, int MaxK, int Seed, int Restarts, int SilhouetteSampleSize, LabelThresholds Thresholds);

/// <summary>
/// A fitted segmentation in canonical order: segment <c>i</c> (1-based) has centroid row <c>i − 1</c>. Distances are
/// taken between z-scores (the portfolio's means and standard deviations at fit time); centroids are also kept in
/// original units for people.
/// </summary>
public sealed class SegmentModel
{
    public SegmentModel(IReadOnlyList<string> featureNames, double[] means, double[] scales, double[][] clusteringCentroids,
        double[][] centroids, IReadOnlyList<string> labels, IReadOnlyList<int> sizes, double? silhouette, double inertia, int rowCount)
    {
        var k = clusteringCentroids.Length;
        if (centroids.Length != k || labels.Count != k || sizes.Count != k)
            throw new ArgumentException("Centroids, labels and sizes must have one entry per segment.");
        if (means.Length != featureNames.Count || scales.Length != featureNames.Count)
            throw new ArgumentException("Means and scales must have one entry per feature.");
        FeatureNames = featureNames;
        Means = means;
        Scales = scales;
        ClusteringCentroids = clusteringCentroids;
        Centroids = centroids;
        Labels = labels;
        Sizes = sizes;
        Silhouette = silhouette;
        Inertia = inertia;
        RowCount = rowCount;
    }

    public int K => Centroids.Length;
    public IReadOnlyList<string> FeatureNames { get; }
    public double[] Means { get; }
    public double[] Scales { get; }
    /// <summary>Centroids in the clustering space (z-scores), one row per segment.</summary>
    public double[][] ClusteringCentroids { get; }
    /// <summary>Centroids in original units, one row per segment.</summary>
    public double[][] Centroids { get; }
    public IReadOnlyList<string> Labels { get; }
    /// <summary>Borrowers per segment at fit time.</summary>
    public IReadOnlyList<int> Sizes { get; }
    public double? Silhouette { get; }
    public double Inertia { get; }
    public int RowCount { get; }

    /// <summary>The segment id (1-based) of the nearest centroid.</summary>
    public int Assign(BorrowerFeatures features)
    {
        var row = features.ToVector();
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < K; c++)
        {
            double distance = 0;
            for (var j = 0; j < row.Length; j++)
            {
                var d = (row[j] - Means[j]) / Scales[j] - ClusteringCentroids[c][j];
                distance += d * d;
            }
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }
        return best + 1;
    }

    public string LabelOf(int segmentId) => Labels[segmentId - 1];

    /// <summary>Whether another fit describes the same segments (same k, labels and centroids within a relative tolerance).</summary>
    public bool SameSegmentsAs(SegmentModel other, double relativeTolerance = 1e-9)
    {
        if (other.K != K || !Labels.SequenceEqual(other.Labels, StringComparer.Ordinal) || !FeatureNames.SequenceEqual(other.FeatureNames))
            return false;
        for (var c = 0; c < K; c++)
            for (var j = 0; j < Centroids[c].Length; j++)
            {
                var a = Centroids[c][j];
                var b = other.Centroids[c][j];
                if (Math.Abs(a - b) > relativeTolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b))))
                    return false;
            }
        return true;
    }
}
