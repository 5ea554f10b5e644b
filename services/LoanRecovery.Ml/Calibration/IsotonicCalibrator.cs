namespace LoanRecovery.Ml.Calibration;

/// <summary>
/// Isotonic (monotone non-decreasing) calibration fitted by pool-adjacent-violators on held-out
/// probabilities and outcomes. Each pooled block keeps its lowest and highest input as knots with the
/// block's rate as value; between knots the map is linear, outside them it is clipped to the end values
/// (the same shape as scikit-learn's IsotonicRegression with out_of_bounds="clip").
/// Knot values are kept within [1/(W + 2), (W + 1)/(W + 2)] for a calibration weight W (rows): a block of a few
/// rows that were all positive or all negative does not justify a probability of exactly 1 or 0, which would make a
/// single surprise cost an unbounded log loss. The bound is negligible for large calibration sets.
/// </summary>
public sealed class IsotonicCalibrator : ICalibrator
{
    public const string KindName = "isotonic";

    private readonly double[] _x;
    private readonly double[] _y;

    private IsotonicCalibrator(double[] x, double[] y)
    {
        _x = x;
        _y = y;
    }

    public string Kind => KindName;

    /// <summary>Knot inputs, ascending.</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>Knot outputs, non-decreasing.</summary>
    public IReadOnlyList<double> Y => _y;

    /// <summary>Fits on held-out (never training) probabilities and 0/1 outcomes, optionally weighted.</summary>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        CalibrationGuards.Check(probabilities, labels, weights);
        int n = probabilities.Length;
        var order = new int[n];
        var keys = probabilities.ToArray();
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);

        // Collapse equal inputs first (their outcomes are averaged), then pool adjacent violators.
        var bx = new List<double>(n);      // block's lowest input
        var bxHi = new List<double>(n);    // block's highest input
        var bw = new List<double>(n);      // block weight
        var bs = new List<double>(n);      // block weighted sum of outcomes
        int a = 0;
        while (a < n)
        {
            int b = a;
            double w = 0, s = 0;
            while (b < n && keys[b] == keys[a])
            {
                double wi = weights.IsEmpty ? 1.0 : weights[order[b]];
                w += wi;
                s += wi * labels[order[b]];
                b++;
            }
            bx.Add(keys[a]); bxHi.Add(keys[a]); bw.Add(w); bs.Add(s);
            // Merge backwards while the previous block's mean is not below this one's.
            while (bw.Count > 1)
            {
                int last = bw.Count - 1;
                if (bs[last - 1] / bw[last - 1] < bs[last] / bw[last]) break;
                bw[last - 1] += bw[last];
                bs[last - 1] += bs[last];
                bxHi[last - 1] = bxHi[last];
                bx.RemoveAt(last); bxHi.RemoveAt(last); bw.RemoveAt(last); bs.RemoveAt(last);
            }
            a = b;
        }

        double total = 0;
        foreach (var w in bw) total += w;
        double lo = 1 / (total + 2), hi = (total + 1) / (total + 2);
        var x = new List<double>(bx.Count * 2);
        var y = new List<double>(bx.Count * 2);
        for (int k = 0; k < bx.Count; k++)
        {
            double v = Math.Clamp(bs[k] / bw[k], lo, hi);
            x.Add(bx[k]); y.Add(v);
            if (bxHi[k] > bx[k]) { x.Add(bxHi[k]); y.Add(v); }
        }
        return new IsotonicCalibrator(x.ToArray(), y.ToArray());
    }

    public double Calibrate(double probability)
    {
        if (double.IsNaN(probability)) return probability;
        if (probability <= _x[0]) return _y[0];
        if (probability >= _x[^1]) return _y[^1];
        int pos = Array.BinarySearch(_x, probability);
        if (pos >= 0) return _y[pos];
        int hi = ~pos, lo = hi - 1;
        double t = (probability - _x[lo]) / (_x[hi] - _x[lo]);
        return _y[lo] + t * (_y[hi] - _y[lo]);
    }

    public CalibrationData ToData() => new(KindName, X: (double[])_x.Clone(), Y: (double[])_y.Clone());

    public static IsotonicCalibrator FromData(CalibrationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!string.Equals(data.Kind, KindName, StringComparison.Ordinal))
            throw new ArgumentException($"Calibration kind '{data.Kind}' is not '{KindName}'.", nameof(data));
        if (data.X is null || data.Y is null || data.X.Length == 0 || data.X.Length != data.Y.Length)
            throw new ArgumentException("Isotonic calibration needs 'x' and 'y' of the same, non-zero length.", nameof(data));
        for (int i = 0; i < data.X.Length; i++)
        {
            if (!double.IsFinite(data.X[i]) || !double.IsFinite(data.Y[i]) || data.Y[i] < 0 || data.Y[i] > 1)
                throw new ArgumentException($"Isotonic calibration knot {i} is not a finite input with an output in [0, 1].", nameof(data));
            if (i > 0 && (data.X[i] < data.X[i - 1] || data.Y[i] < data.Y[i - 1]))
                throw new ArgumentException($"Isotonic calibration knots must be non-decreasing; knot {i} is not.", nameof(data));
        }
        return new IsotonicCalibrator((double[])data.X.Clone(), (double[])data.Y.Clone());
    }
}
