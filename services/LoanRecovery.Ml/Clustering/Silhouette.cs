namespace LoanRecovery.Ml.Clustering;

/// <summary>
/// Mean silhouette coefficient, s = (b − a) / max(a, b) with a the mean distance to the row's own cluster
/// and b the mean distance to the nearest other cluster (0 for a row alone in its cluster). Above
/// <see cref="DefaultSampleSize"/> rows it is computed on a seeded random sample, as scikit-learn's
/// <c>silhouette_score(sample_size=…)</c> does, so the cost stays O(sample² · d) and the value deterministic.
/// </summary>
public static class Silhouette
{
    public const int DefaultSampleSize = 4000;

    /// <summary>Silhouette of a labelling of row-major data (n × d), distances Euclidean.</summary>
    public static double Score(ReadOnlySpan<double> rowMajor, int n, int d, IReadOnlyList<int> labels, int k,
        int sampleSize = DefaultSampleSize, int seed = 42)
    {
        if (labels.Count != n) throw new ArgumentException($"Labels ({labels.Count}) and rows ({n}) differ in length.");
        if (k < 2) throw new ArgumentException("The silhouette needs at least two clusters.");
        int[] sample;
        if (n > sampleSize)
        {
            var idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            var rng = new Random(seed);
            for (int i = 0; i < sampleSize; i++)
            {
                int j = i + rng.Next(n - i);
                (idx[i], idx[j]) = (idx[j], idx[i]);
            }
            sample = idx[..sampleSize];
            Array.Sort(sample);
        }
        else
        {
            sample = new int[n];
            for (int i = 0; i < n; i++) sample[i] = i;
        }

        int s = sample.Length;
        var x = new double[s * d];
        var lab = new int[s];
        var size = new int[k];
        for (int t = 0; t < s; t++)
        {
            rowMajor.Slice(sample[t] * d, d).CopyTo(x.AsSpan(t * d, d));
            lab[t] = labels[sample[t]];
            if (lab[t] < 0 || lab[t] >= k) throw new ArgumentException($"Label {lab[t]} at row {sample[t]} is outside 0..{k - 1}.");
            size[lab[t]]++;
        }
        int present = size.Count(c => c > 0);
        if (present < 2) return 0;

        double total = 0;
        var sums = new double[k];
        for (int i = 0; i < s; i++)
        {
            Array.Clear(sums);
            int io = i * d;
            for (int j = 0; j < s; j++)
            {
                if (j == i) continue;
                int jo = j * d;
                double q = 0;
                for (int c = 0; c < d; c++) { double u = x[io + c] - x[jo + c]; q += u * u; }
                sums[lab[j]] += Math.Sqrt(q);
            }
            int own = lab[i];
            if (size[own] <= 1) continue; // s(i) = 0
            double a = sums[own] / (size[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
                if (c != own && size[c] > 0) b = Math.Min(b, sums[c] / size[c]);
            double m = Math.Max(a, b);
            total += m > 0 ? (b - a) / m : 0;
        }
        return total / s;
    }

    /// <summary>Silhouette of a fitted model on its training rows (given in original units).</summary>
    public static double Score(KMeansModel model, IReadOnlyList<double[]> rows, int sampleSize = DefaultSampleSize, int seed = 42)
    {
        int d = model.Dimensions;
        var z = new double[rows.Count * d];
        for (int i = 0; i < rows.Count; i++) model.Transform(rows[i]).CopyTo(z, i * d);
        return Score(z, rows.Count, d, model.Labels, model.K, sampleSize, seed);
    }
}

/// <summary>Silhouette and inertia of one candidate k.</summary>
public sealed record KCandidate(int K, double Silhouette, double Inertia, KMeansModel Model);

/// <summary>Candidates over a range of k and the one with the highest silhouette.</summary>
public sealed record KSelection(IReadOnlyList<KCandidate> Candidates, KCandidate Best);

public static class KSelector
{
    /// <summary>
    /// Fits k-means for every k in [<paramref name="minK"/>, <paramref name="maxK"/>] and keeps the k with the
    /// highest silhouette (the smaller k on a tie). <paramref name="progress"/> reports finished candidates.
    /// </summary>
    public static KSelection Choose(IReadOnlyList<double[]> rows, int minK, int maxK, KMeansOptions options,
        int sampleSize = Silhouette.DefaultSampleSize, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (minK < 2 || maxK < minK)
            throw new ArgumentException($"The k range must satisfy 2 ≤ min ≤ max; got {minK}..{maxK}.");
        var candidates = new List<KCandidate>();
        KCandidate? best = null;
        for (int k = minK; k <= maxK; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var opts = new KMeansOptions
            {
                K = k, Restarts = options.Restarts, MaxIterations = options.MaxIterations, Tolerance = options.Tolerance,
                Standardize = options.Standardize, Seed = options.Seed, Threads = options.Threads,
            };
            var model = KMeans.Fit(rows, opts, cancellationToken: cancellationToken);
            var candidate = new KCandidate(k, Silhouette.Score(model, rows, sampleSize, options.Seed), model.Inertia, model);
            candidates.Add(candidate);
            if (best is null || candidate.Silhouette > best.Silhouette) best = candidate;
            progress?.Report(k - minK + 1);
        }
        return new KSelection(candidates, best!);
    }
}
