namespace LoanRecovery.Ml.Evaluation;

/// <summary>One bin of a population stability comparison.</summary>
public sealed record PsiBin(string Label, double ExpectedShare, double ActualShare, double Contribution);

/// <summary>Population stability index between a reference (expected) and a current (actual) distribution.</summary>
public sealed record PsiResult(double Value, IReadOnlyList<PsiBin> Bins)
{
    /// <summary>Conventional reading: below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift.</summary>
    public string Interpretation => Value < Psi.ModerateShift ? "stable" : Value <= Psi.MajorShift ? "moderate shift" : "major shift";
}

/// <summary>
/// PSI = Σ (a − e)·ln(a / e) over bins, where e and a are the shares of the reference and current samples.
/// Numeric bins are quantiles of the reference; missing values (NaN) get their own bin; empty bins are
/// floored at a small share so that the logarithm stays finite.
/// </summary>
public static class Psi
{
    public const int DefaultBins = 10;
    public const double ModerateShift = 0.1;
    public const double MajorShift = 0.25;
    /// <summary>Share given to a bin that is empty on one side.</summary>
    public const double EmptyBinShare = 1e-4;

    public static PsiResult Compute(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int bins = DefaultBins)
    {
        if (expected.Length == 0 || actual.Length == 0)
            throw new ArgumentException("PSI needs values on both sides.");
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least two bins are needed.");

        var finite = new List<double>(expected.Length);
        foreach (var v in expected) if (!double.IsNaN(v)) finite.Add(v);
        finite.Sort();
        // Inner edges at reference quantiles, duplicates removed; a value goes to the first bin whose upper edge is ≥ it.
        var edges = new List<double>();
        for (int b = 1; b < bins && finite.Count > 0; b++)
        {
            double q = finite[Math.Min(finite.Count - 1, (int)Math.Floor((double)b * finite.Count / bins))];
            if (edges.Count == 0 || q > edges[^1]) edges.Add(q);
        }
        if (edges.Count > 0 && edges[^1] >= finite[^1]) edges.RemoveAt(edges.Count - 1);
        int numeric = edges.Count + 1;
        var e = Count(expected, edges, numeric);
        var a = Count(actual, edges, numeric);
        var labels = new string[numeric + 1];
        for (int b = 0; b < numeric; b++)
        {
            string lo = b == 0 ? "-inf" : edges[b - 1].ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
            string hi = b == numeric - 1 ? "+inf" : edges[b].ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
            labels[b] = $"({lo}, {hi}]";
        }
        labels[numeric] = "missing";
        return FromCounts(labels, e, a);
    }

    /// <summary>PSI of a categorical column: one bin per value seen on either side (null counts as "missing").</summary>
    public static PsiResult Compute(IEnumerable<string?> expected, IEnumerable<string?> actual)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var e = new List<double>();
        var a = new List<double>();
        void Add(string? v, bool isExpected)
        {
            string key = v ?? "missing";
            if (!index.TryGetValue(key, out int i)) { i = index.Count; index[key] = i; e.Add(0); a.Add(0); }
            if (isExpected) e[i]++; else a[i]++;
        }
        foreach (var v in expected) Add(v, true);
        foreach (var v in actual) Add(v, false);
        var labels = new string[index.Count];
        foreach (var kv in index) labels[kv.Value] = kv.Key;
        return FromCounts(labels, e.ToArray(), a.ToArray());
    }

    /// <summary>PSI from per-bin counts (or weights) of the two samples.</summary>
    public static PsiResult FromCounts(IReadOnlyList<string> labels, IReadOnlyList<double> expectedCounts, IReadOnlyList<double> actualCounts)
    {
        if (labels.Count != expectedCounts.Count || labels.Count != actualCounts.Count)
            throw new ArgumentException("Labels and counts differ in length.");
        double te = expectedCounts.Sum(), ta = actualCounts.Sum();
        if (te <= 0 || ta <= 0) throw new ArgumentException("PSI needs values on both sides.");
        var result = new List<PsiBin>();
        double total = 0;
        for (int b = 0; b < labels.Count; b++)
        {
            if (expectedCounts[b] == 0 && actualCounts[b] == 0) continue;
            double pe = Math.Max(expectedCounts[b] / te, EmptyBinShare);
            double pa = Math.Max(actualCounts[b] / ta, EmptyBinShare);
            double c = (pa - pe) * Math.Log(pa / pe);
            total += c;
            result.Add(new PsiBin(labels[b], expectedCounts[b] / te, actualCounts[b] / ta, c));
        }
        return new PsiResult(total, result);
    }

    private static double[] Count(ReadOnlySpan<double> values, List<double> edges, int numeric)
    {
        var counts = new double[numeric + 1];
        var arr = edges.ToArray();
        foreach (var v in values)
        {
            if (double.IsNaN(v)) { counts[numeric]++; continue; }
            int pos = Array.BinarySearch(arr, v);
            int bin = pos >= 0 ? pos : ~pos;
            counts[bin]++;
        }
        return counts;
    }
}
