namespace LoanRecovery.Ml.Clustering;

/// <summary>A fitted k-means model. Distances and inertia live in the clustering space (z-scores when standardised).</summary>
public sealed class KMeansModel
{
    private readonly double[] _centers; // k × d, clustering space
    private readonly double[]? _means;
    private readonly double[]? _scales;

    private KMeansModel(int k, int d, double[] centers, int[] labels, double inertia, int iterations, double[]? means, double[]? scales)
    {
        K = k;
        Dimensions = d;
        _centers = centers;
        _means = means;
        _scales = scales;
        Labels = labels;
        Inertia = inertia;
        Iterations = iterations;
        var sizes = new int[k];
        foreach (var l in labels) sizes[l]++;
        Sizes = sizes;
    }

    internal static KMeansModel Create(int k, int d, double[] centers, int[] labels, double inertia, int iterations, double[]? means, double[]? scales)
        => new(k, d, centers, labels, inertia, iterations, means, scales);

    public int K { get; }
    public int Dimensions { get; }
    /// <summary>Cluster of each training row.</summary>
    public IReadOnlyList<int> Labels { get; }
    /// <summary>Training rows per cluster.</summary>
    public IReadOnlyList<int> Sizes { get; }
    /// <summary>Sum of squared distances of training rows to their centres, in the clustering space.</summary>
    public double Inertia { get; }
    /// <summary>Lloyd iterations of the winning start.</summary>
    public int Iterations { get; }
    public bool Standardized => _means is not null;
    /// <summary>Column means used for standardisation (null when not standardised).</summary>
    public IReadOnlyList<double>? Means => _means;
    /// <summary>Column standard deviations used for standardisation (null when not standardised).</summary>
    public IReadOnlyList<double>? Scales => _scales;

    /// <summary>Centre of cluster <paramref name="cluster"/> in the clustering space.</summary>
    public double[] ClusteringCentroid(int cluster) => _centers.AsSpan(cluster * Dimensions, Dimensions).ToArray();

    /// <summary>Centre of cluster <paramref name="cluster"/> in the original units of the columns.</summary>
    public double[] Centroid(int cluster)
    {
        var c = ClusteringCentroid(cluster);
        if (_means is not null)
            for (int j = 0; j < Dimensions; j++) c[j] = c[j] * _scales![j] + _means[j];
        return c;
    }

    /// <summary>All centres in original units, one array per cluster.</summary>
    public double[][] Centroids() => Enumerable.Range(0, K).Select(Centroid).ToArray();

    /// <summary>Maps a row in original units into the clustering space.</summary>
    public double[] Transform(ReadOnlySpan<double> row)
    {
        if (row.Length != Dimensions) throw new ArgumentException($"Row has {row.Length} values; the model has {Dimensions} columns.");
        var z = row.ToArray();
        if (_means is not null)
            for (int j = 0; j < Dimensions; j++) z[j] = (z[j] - _means[j]) / _scales![j];
        return z;
    }

    /// <summary>Nearest cluster of a row in original units.</summary>
    public int Predict(ReadOnlySpan<double> row)
    {
        var z = Transform(row);
        int best = 0;
        double bestD = double.PositiveInfinity;
        for (int c = 0; c < K; c++)
        {
            double s = 0;
            for (int j = 0; j < Dimensions; j++) { double t = z[j] - _centers[c * Dimensions + j]; s += t * t; }
            if (s < bestD) { bestD = s; best = c; }
        }
        return best;
    }
}
