namespace LoanRecovery.Ml.Clustering;

/// <summary>Settings of a k-means fit.</summary>
public sealed class KMeansOptions
{
    /// <summary>Number of clusters.</summary>
    public int K { get; init; } = 4;

    /// <summary>Independent k-means++ starts; the one with the lowest inertia wins.</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>Lloyd iterations per start at most.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Convergence when the summed squared centroid shift falls to this fraction of the mean per-column
    /// variance (scikit-learn's definition of <c>tol</c>), or when no assignment changes.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Z-score every column before clustering (centroids are still reported in original units).</summary>
    public bool Standardize { get; init; } = true;

    public int Seed { get; init; } = 42;

    /// <summary>Worker threads for the assignment step; the result does not depend on it.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>
/// Lloyd's k-means with greedy k-means++ seeding (2 + ⌊ln k⌋ candidates per centre), several restarts and
/// optional standardisation. Deterministic for a seed, whatever the thread count: rows are reduced in
/// fixed-size chunks whose partial sums are added in chunk order.
/// </summary>
public static class KMeans
{
    private const int ChunkRows = 2048;

    /// <summary>Fits on rows (row-major, every row the same width, no missing values).</summary>
    public static KMeansModel Fit(IReadOnlyList<double[]> rows, KMeansOptions options, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        int n = rows.Count;
        if (n == 0) throw new ArgumentException("k-means needs at least one row.", nameof(rows));
        int d = rows[0].Length;
        if (d == 0) throw new ArgumentException("k-means needs at least one column.", nameof(rows));
        var data = new double[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            var r = rows[i];
            if (r.Length != d) throw new ArgumentException($"Row {i} has {r.Length} values; row 0 has {d}.", nameof(rows));
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(r[j])) throw new ArgumentException($"Row {i}, column {j}: value {r[j]} is missing or not finite.", nameof(rows));
                data[(long)i * d + j] = r[j];
            }
        }
        return FitFlat(data, n, d, options, progress, cancellationToken);
    }

    /// <summary>Fits on a row-major buffer of <paramref name="n"/> rows × <paramref name="d"/> columns (copied, not changed).</summary>
    public static KMeansModel FitFlat(ReadOnlySpan<double> rowMajor, int n, int d, KMeansOptions options,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.K < 1) throw new ArgumentOutOfRangeException(nameof(options), options.K, "K must be at least 1.");
        if (options.Restarts < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Restarts, "Restarts must be at least 1.");
        if (rowMajor.Length != (long)n * d) throw new ArgumentException("Buffer length is not rows × columns.");
        if (n < options.K) throw new ArgumentException($"k-means with k = {options.K} needs at least {options.K} rows; there are {n}.");

        var x = rowMajor.ToArray();
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i])) throw new ArgumentException($"Row {i / d}, column {i % d}: value {x[i]} is missing or not finite.");
        var (means, scales) = ColumnStats(x, n, d);
        if (options.Standardize)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++)
                    x[i * d + j] = (x[i * d + j] - means[j]) / scales[j];

        // Absolute tolerance: tol × mean column variance of the (possibly standardised) data.
        double meanVar = MeanColumnVariance(x, n, d);
        double tol = options.Tolerance * meanVar;

        var rng = new Random(options.Seed);
        var ws = new Workspace(n, d, options.K);
        double bestInertia = double.PositiveInfinity;
        double[]? bestCenters = null;
        int[]? bestLabels = null;
        int bestIter = 0;
        for (int r = 0; r < options.Restarts; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var centers = PlusPlus(x, n, d, options.K, rng, ws, options.Threads);
            var (inertia, iters) = Lloyd(x, n, d, options.K, centers, ws, options.MaxIterations, tol, options.Threads, cancellationToken);
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                bestCenters = centers;
                bestLabels = (int[])ws.Labels.Clone();
                bestIter = iters;
            }
            progress?.Report(r + 1);
        }

        return KMeansModel.Create(options.K, d, bestCenters!, bestLabels!, bestInertia, bestIter,
            options.Standardize ? means : null, options.Standardize ? scales : null);
    }

    private static double MeanColumnVariance(double[] x, int n, int d)
    {
        var (mean, _) = ColumnStats(x, n, d);
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double t = x[i * d + j] - mean[j]; total += t * t; }
        return total / n / d;
    }

    /// <summary>Column means and population standard deviations (a zero deviation is reported as 1).</summary>
    internal static (double[] Means, double[] Scales) ColumnStats(double[] x, int n, int d)
    {
        var mean = new double[d];
        var sd = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double t = x[i * d + j] - mean[j]; sd[j] += t * t; }
        for (int j = 0; j < d; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / n);
            if (!(sd[j] > 0)) sd[j] = 1;
        }
        return (mean, sd);
    }

    private sealed class Workspace
    {
        public Workspace(int n, int d, int k)
        {
            Labels = new int[n];
            MinDist = new double[n];
            Closest = new double[n];
            int chunks = (n + ChunkRows - 1) / ChunkRows;
            ChunkSums = new double[chunks][];
            ChunkCounts = new int[chunks][];
            ChunkInertia = new double[chunks];
            ChunkChanged = new int[chunks];
            for (int c = 0; c < chunks; c++) { ChunkSums[c] = new double[k * d]; ChunkCounts[c] = new int[k]; }
        }

        public int[] Labels { get; }
        public double[] MinDist { get; }
        public double[] Closest { get; }
        public double[][] ChunkSums { get; }
        public int[][] ChunkCounts { get; }
        public double[] ChunkInertia { get; }
        public int[] ChunkChanged { get; }
    }

    private static void ForChunks(int n, int threads, Action<int, int, int> body)
    {
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        if (threads <= 1 || chunks == 1)
        {
            for (int c = 0; c < chunks; c++) body(c, c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows));
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body(c, c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows)));
    }

    private static double Dist2(double[] x, int row, int d, double[] centers, int c)
    {
        double s = 0;
        int xo = row * d, co = c * d;
        for (int j = 0; j < d; j++)
        {
            double t = x[xo + j] - centers[co + j];
            s += t * t;
        }
        return s;
    }

    /// <summary>Greedy k-means++: each new centre is the best of several D²-weighted candidates.</summary>
    private static double[] PlusPlus(double[] x, int n, int d, int k, Random rng, Workspace ws, int threads)
    {
        var centers = new double[k * d];
        int trials = 2 + (int)Math.Log(k);
        int first = rng.Next(n);
        Array.Copy(x, first * d, centers, 0, d);
        var closest = ws.Closest;
        ForChunks(n, threads, (_, lo, hi) => { for (int i = lo; i < hi; i++) closest[i] = Dist2(x, i, d, centers, 0); });
        var cumulative = new double[n];
        for (int c = 1; c < k; c++)
        {
            double run = 0;
            for (int i = 0; i < n; i++) { run += closest[i]; cumulative[i] = run; }
            int bestCand = -1;
            double bestPot = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                int idx;
                if (run > 0)
                {
                    double target = rng.NextDouble() * run;
                    idx = Array.BinarySearch(cumulative, target);
                    idx = idx >= 0 ? idx : ~idx;
                    if (idx >= n) idx = n - 1;
                    while (idx > 0 && closest[idx] == 0 && cumulative[idx] == cumulative[idx - 1]) idx--;
                }
                else idx = rng.Next(n);
                var chunkPot = ws.ChunkInertia;
                ForChunks(n, threads, (ch, lo, hi) =>
                {
                    double s = 0;
                    int co = idx * d;
                    for (int i = lo; i < hi; i++)
                    {
                        double dd = 0;
                        int xo = i * d;
                        for (int j = 0; j < d; j++) { double u = x[xo + j] - x[co + j]; dd += u * u; }
                        s += Math.Min(dd, closest[i]);
                    }
                    chunkPot[ch] = s;
                });
                double p = Sum(chunkPot, chunkPot.Length);
                if (p < bestPot) { bestPot = p; bestCand = idx; }
            }
            Array.Copy(x, bestCand * d, centers, c * d, d);
            int cc = c;
            ForChunks(n, threads, (_, lo, hi) =>
            {
                for (int i = lo; i < hi; i++) closest[i] = Math.Min(closest[i], Dist2(x, i, d, centers, cc));
            });
        }
        return centers;
    }

    private static double Sum(double[] a, int len)
    {
        double s = 0;
        for (int i = 0; i < len; i++) s += a[i];
        return s;
    }

    /// <summary>Assigns every row to its nearest centre, accumulating per-chunk sums, counts, inertia and changes.</summary>
    private static void Assign(double[] x, int n, int d, int k, double[] centers, Workspace ws, int threads, bool accumulate)
    {
        var labels = ws.Labels;
        var minDist = ws.MinDist;
        ForChunks(n, threads, (ch, lo, hi) =>
        {
            var sums = ws.ChunkSums[ch];
            var counts = ws.ChunkCounts[ch];
            if (accumulate) { Array.Clear(sums); Array.Clear(counts); }
            double inertia = 0;
            int changed = 0;
            for (int i = lo; i < hi; i++)
            {
                int xo = i * d;
                int best = 0;
                double bestD = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    int co = c * d;
                    double s = 0;
                    for (int j = 0; j < d; j++) { double t = x[xo + j] - centers[co + j]; s += t * t; }
                    if (s < bestD) { bestD = s; best = c; }
                }
                if (labels[i] != best) { changed++; labels[i] = best; }
                minDist[i] = bestD;
                inertia += bestD;
                if (accumulate)
                {
                    counts[best]++;
                    int so = best * d;
                    for (int j = 0; j < d; j++) sums[so + j] += x[xo + j];
                }
            }
            ws.ChunkInertia[ch] = inertia;
            ws.ChunkChanged[ch] = changed;
        });
    }

    private static (double Inertia, int Iterations) Lloyd(double[] x, int n, int d, int k, double[] centers, Workspace ws,
        int maxIter, double tol, int threads, CancellationToken ct)
    {
        Array.Fill(ws.Labels, -1);
        var next = new double[k * d];
        var counts = new long[k];
        int iter = 0;
        bool strict = false;
        for (; iter < maxIter; iter++)
        {
            ct.ThrowIfCancellationRequested();
            Assign(x, n, d, k, centers, ws, threads, accumulate: true);
            int changed = 0;
            foreach (var c in ws.ChunkChanged) changed += c;
            if (changed == 0 && iter > 0) { strict = true; break; }

            Array.Clear(next);
            Array.Clear(counts);
            for (int ch = 0; ch < ws.ChunkSums.Length; ch++)
            {
                var s = ws.ChunkSums[ch];
                var cnt = ws.ChunkCounts[ch];
                for (int c = 0; c < k; c++) counts[c] += cnt[c];
                for (int t = 0; t < s.Length; t++) next[t] += s[t];
            }
            RelocateEmpty(x, n, d, k, next, counts, ws);
            double shift = 0;
            for (int c = 0; c < k; c++)
                for (int j = 0; j < d; j++)
                {
                    double v = next[c * d + j] / counts[c];
                    double t = v - centers[c * d + j];
                    shift += t * t;
                    centers[c * d + j] = v;
                }
            if (shift <= tol) { iter++; break; }
        }
        if (!strict) Assign(x, n, d, k, centers, ws, threads, accumulate: false);
        double inertia = Sum(ws.ChunkInertia, ws.ChunkInertia.Length);
        return (inertia, iter);
    }

    /// <summary>An empty cluster takes the row farthest from its current centre (taken from the largest clusters' rows).</summary>
    private static void RelocateEmpty(double[] x, int n, int d, int k, double[] sums, long[] counts, Workspace ws)
    {
        int empty = 0;
        for (int c = 0; c < k; c++) if (counts[c] == 0) empty++;
        if (empty == 0) return;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = (double[])ws.MinDist.Clone();
        Array.Sort(keys, order);
        int pick = n - 1;
        for (int c = 0; c < k; c++)
        {
            if (counts[c] != 0) continue;
            while (pick >= 0 && counts[ws.Labels[order[pick]]] <= 1) pick--;
            if (pick < 0) break;
            int row = order[pick--];
            int old = ws.Labels[row];
            for (int j = 0; j < d; j++)
            {
                sums[old * d + j] -= x[row * d + j];
                sums[c * d + j] = x[row * d + j];
            }
            counts[old]--;
            counts[c] = 1;
            ws.Labels[row] = c;
        }
    }
}
