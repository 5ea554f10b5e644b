using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        var ws = new Workspace(n, d, options.K, 2 + (int)Math.Log(options.K));
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
        public Workspace(int n, int d, int k, int trials)
        {
            Labels = new int[n];
            Upper = new double[n];
            Lower = new double[n];
            Closest = new double[n];
            Cumulative = new double[n];
            Candidates = new double[trials][];
            for (int t = 0; t < trials; t++) Candidates[t] = new double[n];
            Chunks = (n + ChunkRows - 1) / ChunkRows;
            ChunkSums = new double[Chunks][];
            ChunkCounts = new long[Chunks][];
            ChunkValue = new double[Chunks];
            ChunkChanged = new int[Chunks];
            for (int c = 0; c < Chunks; c++) { ChunkSums[c] = new double[k * d]; ChunkCounts[c] = new long[k]; }
        }

        public int Chunks { get; }
        public int[] Labels { get; }
        /// <summary>Upper bound of each row's distance to its own centre (Hamerly).</summary>
        public double[] Upper { get; }
        /// <summary>Lower bound of each row's distance to every other centre (Hamerly).</summary>
        public double[] Lower { get; }
        /// <summary>k-means++: squared distance of each row to its nearest chosen centre.</summary>
        public double[] Closest { get; }
        public double[] Cumulative { get; }
        /// <summary>k-means++: min(closest, distance to candidate t) per row.</summary>
        public double[][] Candidates { get; }
        public double[][] ChunkSums { get; }
        public long[][] ChunkCounts { get; }
        public double[] ChunkValue { get; }
        public int[] ChunkChanged { get; }
    }

    /// <summary>Runs <paramref name="body"/>(chunk, from, to) over fixed-size row chunks, in parallel when asked.</summary>
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

    private static double Sum(double[] a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Dist2(double* a, double* b, int d)
    {
        double s = 0;
        int j = 0;
        for (; j + 1 < d; j += 2)
        {
            double t0 = a[j] - b[j], t1 = a[j + 1] - b[j + 1];
            s += t0 * t0 + t1 * t1;
        }
        if (j < d)
        {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    private static unsafe double Dist2(double[] a, int aRow, double[] b, int bRow, int d)
    {
        fixed (double* pa = a, pb = b) return Dist2(pa + (long)aRow * d, pb + (long)bRow * d, d);
    }

    /// <summary>Greedy k-means++: each new centre is the best (lowest potential) of several D²-weighted candidates.</summary>
    private static double[] PlusPlus(double[] x, int n, int d, int k, Random rng, Workspace ws, int threads)
    {
        var centers = new double[k * d];
        int trials = ws.Candidates.Length;
        int first = rng.Next(n);
        Array.Copy(x, first * d, centers, 0, d);
        var closest = ws.Closest;
        var cumulative = ws.Cumulative;
        ForChunks(n, threads, (ch, lo, hi) => ws.ChunkValue[ch] = MinDistances(x, d, x, first, null, closest, lo, hi));
        var candidate = new int[trials];
        var potential = new double[trials];
        for (int c = 1; c < k; c++)
        {
            double run = 0;
            for (int i = 0; i < n; i++) { run += closest[i]; cumulative[i] = run; }
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
                candidate[t] = idx;
                var dest = ws.Candidates[t];
                ForChunks(n, threads, (ch, lo, hi) => ws.ChunkValue[ch] = MinDistances(x, d, x, idx, closest, dest, lo, hi));
                potential[t] = Sum(ws.ChunkValue);
            }
            int best = 0;
            for (int t = 1; t < trials; t++) if (potential[t] < potential[best]) best = t;
            Array.Copy(x, candidate[best] * d, centers, c * d, d);
            Array.Copy(ws.Candidates[best], closest, n);
        }
        return centers;
    }

    /// <summary>dest[i] = min(current[i], |x_i − p|²) for rows lo..hi, where p is row <paramref name="pointRow"/> of <paramref name="points"/>; returns their sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double MinDistances(double[] x, int d, double[] points, int pointRow, double[]? current, double[] dest, int lo, int hi)
    {
        double sum = 0;
        var p = new double[d];
        Array.Copy(points, (long)pointRow * d, p, 0, d);
        fixed (double* px = x, pp = p, pd = dest)
        {
            if (current is null)
            {
                for (int i = lo; i < hi; i++) { double q = Dist2(px + (long)i * d, pp, d); pd[i] = q; sum += q; }
            }
            else
            {
                fixed (double* pc = current)
                    for (int i = lo; i < hi; i++)
                    {
                        double q = Math.Min(pc[i], Dist2(px + (long)i * d, pp, d));
                        pd[i] = q;
                        sum += q;
                    }
            }
        }
        return sum;
    }

    /// <summary>
    /// E-step. Without bounds every row is compared with every centre; with bounds (Hamerly, 2010) a row is skipped
    /// while its upper bound to its own centre stays below both half the gap from that centre to the nearest other
    /// one and its lower bound to all other centres. That yields the same assignment as the full comparison while
    /// computing far fewer distances. Bounds are first moved by the centres' last shifts <paramref name="move"/>.
    /// </summary>
    private static int Assign(double[] x, int n, int d, int k, double[] centers, Workspace ws, int threads, double[]? half, double[]? move,
        double[] sums, long[] counts)
    {
        int maxMove = -1;
        double maxP = 0, secondP = 0;
        if (move is not null)
            for (int c = 0; c < k; c++)
            {
                if (move[c] > maxP) { secondP = maxP; maxP = move[c]; maxMove = c; }
                else if (move[c] > secondP) secondP = move[c];
            }
        // Centres by dimension, padded to whole vectors, for the full comparison of a row with every centre.
        int kp = (k + 3) & ~3;
        var byDim = new double[d * kp];
        for (int c = 0; c < k; c++)
            for (int j = 0; j < d; j++) byDim[j * kp + c] = centers[c * d + j];
        ForChunks(n, threads, (ch, lo, hi) =>
            ws.ChunkChanged[ch] = AssignRange(x, d, k, centers, byDim, kp, ws.Labels, ws.Upper, ws.Lower, half, move, maxMove, maxP, secondP,
                ws.ChunkSums[ch], ws.ChunkCounts[ch], lo, hi));
        // The cluster sums follow the rows that changed cluster; chunk deltas are added in chunk order.
        int total = 0;
        for (int ch = 0; ch < ws.Chunks; ch++)
        {
            total += ws.ChunkChanged[ch];
            if (ws.ChunkChanged[ch] == 0) continue;
            var ds = ws.ChunkSums[ch];
            var dc = ws.ChunkCounts[ch];
            for (int c = 0; c < k; c++) counts[c] += dc[c];
            for (int t = 0; t < ds.Length; t++) sums[t] += ds[t];
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int AssignRange(double[] x, int d, int k, double[] centers, double[] byDim, int kp, int[] labels, double[] upper, double[] lower,
        double[]? half, double[]? move, int maxMove, double maxP, double secondP, double[] deltaSums, long[] deltaCounts, int lo, int hi)
    {
        int changed = 0;
        bool bounded = half is not null;
        Array.Clear(deltaSums);
        Array.Clear(deltaCounts);
        bool vector = Vector256.IsHardwareAccelerated && k >= 3;
        double* lanes = stackalloc double[4];
        fixed (double* px = x, pc = centers, pu = upper, pl = lower, ph = half, pm = move, pds = deltaSums, pt = byDim)
        fixed (int* plab = labels)
        fixed (long* pdc = deltaCounts)
        {
            for (int i = lo; i < hi; i++)
            {
                double* xi = px + (long)i * d;
                int a = plab[i];
                if (bounded)
                {
                    double u = pu[i] + pm[a];
                    double l = pl[i] - (a == maxMove ? secondP : maxP);
                    pl[i] = l;
                    double m = Math.Max(ph[a], l);
                    if (u <= m) { pu[i] = u; continue; }
                    u = Math.Sqrt(Dist2(xi, pc + (long)a * d, d));
                    pu[i] = u;
                    if (u <= m) continue;
                }
                double b1 = double.PositiveInfinity, b2 = double.PositiveInfinity;
                int best = 0;
                if (vector)
                {
                    // Four centres at a time; per lane the same operations in the same order as Dist2.
                    for (int g = 0; g < kp; g += 4)
                    {
                        var acc = Vector256<double>.Zero;
                        int j = 0;
                        for (; j + 1 < d; j += 2)
                        {
                            var t0 = Vector256.Create(xi[j]) - Vector256.Load(pt + (long)j * kp + g);
                            var t1 = Vector256.Create(xi[j + 1]) - Vector256.Load(pt + (long)(j + 1) * kp + g);
                            acc += t0 * t0 + t1 * t1;
                        }
                        if (j < d)
                        {
                            var t = Vector256.Create(xi[j]) - Vector256.Load(pt + (long)j * kp + g);
                            acc += t * t;
                        }
                        acc.Store(lanes);
                        int last = Math.Min(4, k - g);
                        for (int l = 0; l < last; l++)
                        {
                            double q = lanes[l];
                            if (q < b1) { b2 = b1; b1 = q; best = g + l; }
                            else if (q < b2) b2 = q;
                        }
                    }
                }
                else
                {
                    for (int c = 0; c < k; c++)
                    {
                        double q = Dist2(xi, pc + (long)c * d, d);
                        if (q < b1) { b2 = b1; b1 = q; best = c; }
                        else if (q < b2) b2 = q;
                    }
                }
                if (a != best)
                {
                    changed++;
                    plab[i] = best;
                    double* to = pds + (long)best * d;
                    for (int j = 0; j < d; j++) to[j] += xi[j];
                    pdc[best]++;
                    if (a >= 0)
                    {
                        double* from = pds + (long)a * d;
                        for (int j = 0; j < d; j++) from[j] -= xi[j];
                        pdc[a]--;
                    }
                }
                pu[i] = Math.Sqrt(b1);
                pl[i] = Math.Sqrt(b2);
            }
        }
        return changed;
    }

    private static double Inertia(double[] x, int n, int d, double[] centers, Workspace ws, int threads)
    {
        ForChunks(n, threads, (ch, lo, hi) => ws.ChunkValue[ch] = InertiaRange(x, d, centers, ws.Labels, lo, hi));
        return Sum(ws.ChunkValue);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double InertiaRange(double[] x, int d, double[] centers, int[] labels, int lo, int hi)
    {
        double s = 0;
        fixed (double* px = x, pc = centers)
        fixed (int* plab = labels)
            for (int i = lo; i < hi; i++) s += Dist2(px + (long)i * d, pc + (long)plab[i] * d, d);
        return s;
    }

    private static (double Inertia, int Iterations) Lloyd(double[] x, int n, int d, int k, double[] centers, Workspace ws,
        int maxIter, double tol, int threads, CancellationToken ct)
    {
        Array.Fill(ws.Labels, -1);
        var sums = new double[k * d];
        var counts = new long[k];
        var move = new double[k];
        var half = new double[k];
        Assign(x, n, d, k, centers, ws, threads, null, null, sums, counts);
        int iter = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            iter++;
            bool relocated = RelocateEmpty(x, n, d, k, centers, sums, counts, ws);
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                double m = 0;
                for (int j = 0; j < d; j++)
                {
                    double v = sums[c * d + j] / counts[c];
                    double t = v - centers[c * d + j];
                    m += t * t;
                    centers[c * d + j] = v;
                }
                move[c] = Math.Sqrt(m);
                shift += m;
            }
            HalfGaps(centers, k, d, half);
            bool bounded = !relocated;
            int changed = Assign(x, n, d, k, centers, ws, threads, bounded ? half : null, bounded ? move : null, sums, counts);
            // Stop when no row changed cluster (exact convergence), the centres barely moved, or the budget is
            // spent; the assignment just made always belongs to the final centres.
            if (changed == 0 || shift <= tol || iter >= maxIter) break;
        }
        return (Inertia(x, n, d, centers, ws, threads), iter);
    }

    /// <summary>half[c] = half the distance from centre c to its nearest other centre.</summary>
    private static void HalfGaps(double[] centers, int k, int d, double[] half)
    {
        for (int c = 0; c < k; c++)
        {
            double best = double.PositiveInfinity;
            for (int o = 0; o < k; o++)
                if (o != c) best = Math.Min(best, Dist2(centers, c, centers, o, d));
            half[c] = k == 1 ? double.PositiveInfinity : 0.5 * Math.Sqrt(best);
        }
    }

    /// <summary>An empty cluster takes the row farthest from its current centre, from clusters of two or more rows.</summary>
    private static bool RelocateEmpty(double[] x, int n, int d, int k, double[] centers, double[] sums, long[] counts, Workspace ws)
    {
        int empty = 0;
        for (int c = 0; c < k; c++) if (counts[c] == 0) empty++;
        if (empty == 0) return false;
        var dist = new double[n];
        for (int i = 0; i < n; i++) dist[i] = Dist2(x, i, centers, ws.Labels[i], d);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(dist, order);
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
        return true;
    }
}
