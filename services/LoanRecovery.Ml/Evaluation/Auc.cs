namespace LoanRecovery.Ml.Evaluation;

/// <summary>Area under the ROC curve with its DeLong standard error and a normal confidence interval.</summary>
/// <param name="Value">AUC in [0, 1]; ties between a positive and a negative count one half.</param>
/// <param name="Variance">DeLong variance of the AUC estimate.</param>
/// <param name="Low">Lower bound of the confidence interval, clipped to [0, 1].</param>
/// <param name="High">Upper bound of the confidence interval, clipped to [0, 1].</param>
/// <param name="ConfidenceLevel">Level of the interval, e.g. 0.95.</param>
/// <param name="Positives">Number of positive rows.</param>
/// <param name="Negatives">Number of negative rows.</param>
public sealed record AucResult(
    double Value, double Variance, double Low, double High, double ConfidenceLevel, int Positives, int Negatives)
{
    public double StandardError => Math.Sqrt(Variance);

    /// <summary>Gini coefficient (accuracy ratio), 2·AUC − 1.</summary>
    public double Gini => 2 * Value - 1;
}

/// <summary>AUC by DeLong's method, computed in O(n log n) with mid-ranks (Sun and Xu, 2014).</summary>
public static class Auc
{
    public const double DefaultConfidenceLevel = 0.95;

    /// <summary>AUC, DeLong variance and confidence interval of <paramref name="scores"/> against 0/1 <paramref name="labels"/>.</summary>
    public static AucResult DeLong(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double confidenceLevel = DefaultConfidenceLevel)
    {
        MetricGuards.CheckLengths(scores.Length, labels.Length);
        if (confidenceLevel is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie strictly between 0 and 1.");

        int m = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"Score at row {i} is NaN.", nameof(scores));
            m += labels[i];
        }
        int n = labels.Length - m;
        if (m == 0 || n == 0)
            throw new ArgumentException($"AUC needs both classes; got {m} positive and {n} negative rows.", nameof(labels));

        var pos = new double[m];
        var neg = new double[n];
        int pi = 0, ni = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == 1) pos[pi++] = scores[i];
            else neg[ni++] = scores[i];
        }

        var all = new double[m + n];
        pos.CopyTo(all, 0);
        neg.CopyTo(all, m);
        var rankAll = MidRanks(all);
        var rankPos = MidRanks(pos);
        var rankNeg = MidRanks(neg);

        double sumPosRanks = 0;
        for (int i = 0; i < m; i++) sumPosRanks += rankAll[i];
        double auc = (sumPosRanks - (double)m * (m + 1) / 2) / ((double)m * n);

        // Structural components: V10[i] is the share of negatives that positive i outranks,
        // V01[j] the share of positives that outrank negative j.
        double mean10 = 0, mean01 = 0;
        var v10 = new double[m];
        var v01 = new double[n];
        for (int i = 0; i < m; i++) { v10[i] = (rankAll[i] - rankPos[i]) / n; mean10 += v10[i]; }
        for (int j = 0; j < n; j++) { v01[j] = 1.0 - (rankAll[m + j] - rankNeg[j]) / m; mean01 += v01[j]; }
        mean10 /= m;
        mean01 /= n;
        double s10 = 0, s01 = 0;
        for (int i = 0; i < m; i++) { double d = v10[i] - mean10; s10 += d * d; }
        for (int j = 0; j < n; j++) { double d = v01[j] - mean01; s01 += d * d; }
        s10 = m > 1 ? s10 / (m - 1) : 0;
        s01 = n > 1 ? s01 / (n - 1) : 0;
        double variance = s10 / m + s01 / n;

        double z = Normal.Quantile(0.5 + confidenceLevel / 2);
        double half = z * Math.Sqrt(variance);
        return new AucResult(auc, variance, Math.Max(0, auc - half), Math.Min(1, auc + half), confidenceLevel, m, n);
    }

    /// <summary>AUC alone (no interval); same value as <see cref="DeLong"/>.</summary>
    public static double Value(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels) => DeLong(scores, labels).Value;

    /// <summary>1-based mid-ranks: tied values share the mean of the ranks they occupy.</summary>
    internal static double[] MidRanks(double[] values)
    {
        int len = values.Length;
        var order = new int[len];
        for (int i = 0; i < len; i++) order[i] = i;
        var keys = (double[])values.Clone();
        Array.Sort(keys, order);
        var ranks = new double[len];
        int a = 0;
        while (a < len)
        {
            int b = a;
            while (b + 1 < len && keys[b + 1] == keys[a]) b++;
            double mid = (a + b) / 2.0 + 1;
            for (int k = a; k <= b; k++) ranks[order[k]] = mid;
            a = b + 1;
        }
        return ranks;
    }
}

/// <summary>Standard normal distribution helpers.</summary>
internal static class Normal
{
    /// <summary>Inverse CDF (Acklam's rational approximation; relative error below 1.2e-9, ample for interval bounds).</summary>
    public static double Quantile(double p)
    {
        if (p <= 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p));
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double plow = 0.02425;
        double x;
        if (p < plow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - plow)
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }
}

internal static class MetricGuards
{
    public static void CheckLengths(int scores, int labels)
    {
        if (scores != labels)
            throw new ArgumentException($"Scores ({scores}) and labels ({labels}) differ in length.");
        if (scores == 0)
            throw new ArgumentException("No rows to evaluate.");
    }

    public static void CheckLabel(int label, int row)
    {
        if (label is not (0 or 1))
            throw new ArgumentException($"Label at row {row} is {label}; labels must be 0 or 1.");
    }
}
