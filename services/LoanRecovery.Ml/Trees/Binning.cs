namespace LoanRecovery.Ml.Trees;

/// <summary>Per-feature bin layout: bin 0 holds missing values, bins 1..BinCount hold values.</summary>
internal sealed class BinLayout
{
    public required bool[] Categorical { get; init; }

    /// <summary>Value bins per feature (without the missing bin).</summary>
    public required int[] BinCount { get; init; }

    /// <summary>Numeric: upper edges of bins 1..BinCount-1 (value &lt;= Edges[t-1] means bin &lt;= t).</summary>
    public required double[][] Edges { get; init; }

    /// <summary>Categorical: category index to bin.</summary>
    public required int[][] CategoryToBin { get; init; }

    /// <summary>Categorical: bin to the category indices it holds.</summary>
    public required int[][][] BinToCategories { get; init; }

    /// <summary>Start of each feature's bins (missing bin included) in a histogram.</summary>
    public required int[] Offset { get; init; }

    public required int TotalBins { get; init; }

    public int FeatureCount => BinCount.Length;

    public static BinLayout Fit(Dataset data, int maxBins)
    {
        var f = data.FeatureCount;
        var categorical = new bool[f];
        var binCount = new int[f];
        var edges = new double[f][];
        var catToBin = new int[f][];
        var binToCats = new int[f][][];
        for (var j = 0; j < f; j++)
        {
            var spec = data.Schema[j];
            var column = data.Columns[j];
            if (spec.Kind == FeatureKind.Categorical)
            {
                categorical[j] = true;
                edges[j] = [];
                var c = spec.CategoryCount;
                var map = new int[c];
                int bins;
                if (c <= maxBins)
                {
                    for (var k = 0; k < c; k++) map[k] = k + 1;
                    bins = Math.Max(c, 1);
                }
                else
                {
                    var counts = new long[c];
                    foreach (var v in column)
                    {
                        if (!double.IsNaN(v)) counts[(int)v]++;
                    }
                    var order = Enumerable.Range(0, c).ToArray();
                    Array.Sort(order, (a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
                    for (var k = 0; k < c; k++) map[order[k]] = Math.Min(k + 1, maxBins);
                    bins = maxBins;
                }
                catToBin[j] = map;
                var lists = new List<int>[bins + 1];
                for (var b = 0; b <= bins; b++) lists[b] = [];
                for (var k = 0; k < c; k++) lists[map[k]].Add(k);
                binToCats[j] = lists.Select(l => l.ToArray()).ToArray();
                binCount[j] = bins;
            }
            else
            {
                catToBin[j] = [];
                binToCats[j] = [];
                edges[j] = NumericEdges(column, maxBins);
                binCount[j] = edges[j].Length + 1;
            }
        }
        var offset = new int[f];
        var total = 0;
        for (var j = 0; j < f; j++)
        {
            offset[j] = total;
            total += binCount[j] + 1;
        }
        return new BinLayout
        {
            Categorical = categorical,
            BinCount = binCount,
            Edges = edges,
            CategoryToBin = catToBin,
            BinToCategories = binToCats,
            Offset = offset,
            TotalBins = total,
        };
    }

    private static double[] NumericEdges(double[] column, int maxBins)
    {
        var values = new double[column.Length];
        var n = 0;
        foreach (var v in column)
        {
            if (!double.IsNaN(v)) values[n++] = v;
        }
        if (n == 0) return [];
        Array.Sort(values, 0, n);
        // distinct values with counts
        var distinct = new List<double>();
        var counts = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (distinct.Count == 0 || values[i] != distinct[^1])
            {
                distinct.Add(values[i]);
                counts.Add(1);
            }
            else
            {
                counts[^1]++;
            }
        }
        var edges = new List<double>();
        if (distinct.Count <= maxBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++) edges.Add(Between(distinct[i], distinct[i + 1]));
            return edges.ToArray();
        }
        var perBin = (double)n / maxBins;
        long cumulative = 0;
        var next = perBin;
        for (var i = 0; i + 1 < distinct.Count && edges.Count < maxBins - 1; i++)
        {
            cumulative += counts[i];
            if (cumulative >= next)
            {
                edges.Add(Between(distinct[i], distinct[i + 1]));
                next = (Math.Floor(cumulative / perBin) + 1) * perBin;
            }
        }
        return edges.ToArray();
    }

    private static double Between(double a, double b)
    {
        var mid = a + (b - a) / 2;
        return mid >= b || mid < a ? a : mid;
    }

    public byte BinOf(int feature, double value)
    {
        if (double.IsNaN(value)) return 0;
        if (Categorical[feature])
        {
            var map = CategoryToBin[feature];
            var c = (int)value;
            return (uint)c < (uint)map.Length ? (byte)map[c] : (byte)0;
        }
        var e = Edges[feature];
        int lo = 0, hi = e.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (e[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return (byte)(lo + 1);
    }

    /// <summary>Row-major byte matrix: bins[row * FeatureCount + feature].</summary>
    public byte[] Apply(Dataset data)
    {
        var f = FeatureCount;
        var n = data.RowCount;
        var bins = new byte[(long)n * f];
        for (var j = 0; j < f; j++)
        {
            var col = data.Columns[j];
            for (var r = 0; r < n; r++) bins[(long)r * f + j] = BinOf(j, col[r]);
        }
        return bins;
    }
}
