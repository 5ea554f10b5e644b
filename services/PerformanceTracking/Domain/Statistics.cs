using MathNet.Numerics.Distributions;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>A point estimate with its two-sided 95% confidence interval.</summary>
public sealed record Interval(double Estimate, double Low, double High)
{
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>A difference between two groups, its 95% confidence interval, the test statistic and its two-sided p-value.</summary>
public sealed record Comparison(double Difference, double Low, double High, double Statistic, double PValue, string Method)
{
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>
/// The statistics every figure of the service uses. Proportions: Wilson score interval; difference of two proportions:
/// Newcombe's hybrid score interval (his method 10, built from the two Wilson intervals) with the pooled two-proportion
/// z-test; means (net recovery per loan): Student t interval; difference of two means: Welch's t interval and test with
/// Welch–Satterthwaite degrees of freedom. All at 95%.
/// </summary>
public static class Statistics
{
    public const double Confidence = 0.95;
    /// <summary>z for a two-sided 95% interval.</summary>
    public static readonly double Z = Normal.InvCDF(0, 1, 1 - (1 - Confidence) / 2);

    /// <summary>Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    public static Interval Wilson(int successes, int trials)
    {
        if (trials <= 0) return new Interval(double.NaN, double.NaN, double.NaN);
        double n = trials, p = successes / n, z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// p1 − p2 with Newcombe's hybrid score interval: L = d − √((p1−l1)² + (u2−p2)²), U = d + √((u1−p1)² + (p2−l2)²), where
    /// (l, u) are the Wilson intervals; the test is the pooled two-proportion z-test.
    /// </summary>
    public static Comparison NewcombeDifference(int successes1, int trials1, int successes2, int trials2)
    {
        var a = Wilson(successes1, trials1);
        var b = Wilson(successes2, trials2);
        double d = a.Estimate - b.Estimate;
        double low = d - Math.Sqrt(Sq(a.Estimate - a.Low) + Sq(b.High - b.Estimate));
        double high = d + Math.Sqrt(Sq(a.High - a.Estimate) + Sq(b.Estimate - b.Low));
        double pooled = (double)(successes1 + successes2) / (trials1 + trials2);
        double se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / trials1 + 1.0 / trials2));
        double zStat = se > 0 ? d / se : 0;
        double pValue = se > 0 ? 2 * (1 - Normal.CDF(0, 1, Math.Abs(zStat))) : 1;
        return new Comparison(d, low, high, zStat, pValue, "Newcombe hybrid score interval; pooled two-proportion z-test");
    }

    /// <summary>Mean with its Student t interval (n − 1 degrees of freedom); needs two values for an interval.</summary>
    public static Interval Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return new Interval(double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        if (values.Count < 2) return new Interval(mean, double.NaN, double.NaN);
        double half = StudentT.InvCDF(0, 1, values.Count - 1, 1 - (1 - Confidence) / 2) * Math.Sqrt(Variance(values, mean) / values.Count);
        return new Interval(mean, mean - half, mean + half);
    }

    /// <summary>Mean of <paramref name="first"/> − mean of <paramref name="second"/> with Welch's t interval and test.</summary>
    public static Comparison WelchDifference(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        if (first.Count < 2 || second.Count < 2)
            throw new ArgumentException("Welch's test needs at least two values in each group.");
        double m1 = first.Average(), m2 = second.Average();
        return Welch(m1 - m2, Variance(first, m1) / first.Count, first.Count, Variance(second, m2) / second.Count, second.Count,
            "Welch's t interval and test");
    }

    /// <summary>A difference <paramref name="d"/> of two estimates with variances <paramref name="v1"/> and <paramref name="v2"/>: Welch–Satterthwaite t.</summary>
    private static Comparison Welch(double d, double v1, int n1, double v2, int n2, string method)
    {
        double se = Math.Sqrt(v1 + v2);
        if (se == 0)
            return new Comparison(d, d, d, d == 0 ? 0 : double.PositiveInfinity * Math.Sign(d), d == 0 ? 1 : 0, method);
        double df = Sq(v1 + v2) / (Sq(v1) / (n1 - 1) + Sq(v2) / (n2 - 1));
        double t = StudentT.InvCDF(0, 1, df, 1 - (1 - Confidence) / 2);
        double statistic = d / se;
        double pValue = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(statistic)));
        return new Comparison(d, d - t * se, d + t * se, statistic, pValue, method);
    }

    /// <summary>
    /// The ratio of sums Σy ÷ Σx (here: net recovery ÷ opening balance) with its delta-method Student t interval: the
    /// ratio's variance is that of the linearised values (y − R·x) ÷ x̄ over n. Needs two pairs and a positive Σx for an
    /// interval.
    /// </summary>
    public static Interval RatioOfSums(IReadOnlyList<(double Y, double X)> pairs)
    {
        if (pairs.Count == 0 || pairs.Sum(p => p.X) <= 0) return new Interval(double.NaN, double.NaN, double.NaN);
        double ratio = Ratio(pairs);
        if (pairs.Count < 2) return new Interval(ratio, double.NaN, double.NaN);
        double half = StudentT.InvCDF(0, 1, pairs.Count - 1, 1 - (1 - Confidence) / 2) * Math.Sqrt(LinearisedVariance(pairs, ratio) / pairs.Count);
        return new Interval(ratio, ratio - half, ratio + half);
    }

    /// <summary>
    /// Ratio of sums of <paramref name="first"/> − that of <paramref name="second"/>, with Welch's t interval and test on the
    /// two ratios' delta-method variances.
    /// </summary>
    public static Comparison RatioDifference(IReadOnlyList<(double Y, double X)> first, IReadOnlyList<(double Y, double X)> second)
    {
        if (first.Count < 2 || second.Count < 2 || first.Sum(p => p.X) <= 0 || second.Sum(p => p.X) <= 0)
            throw new ArgumentException("A difference of ratios needs at least two pairs and a positive sum of x in each group.");
        double r1 = Ratio(first), r2 = Ratio(second);
        return Welch(r1 - r2, LinearisedVariance(first, r1) / first.Count, first.Count, LinearisedVariance(second, r2) / second.Count, second.Count,
            "Ratio of sums with delta-method variances; Welch's t interval and test");
    }

    private static double Ratio(IReadOnlyList<(double Y, double X)> pairs) => pairs.Sum(p => p.Y) / pairs.Sum(p => p.X);

    private static double LinearisedVariance(IReadOnlyList<(double Y, double X)> pairs, double ratio)
    {
        double meanX = pairs.Average(p => p.X);
        // The linearised values sum to Σy − R·Σx = 0 when R is the pairs' own ratio, so their mean is 0.
        return Variance(pairs.Select(p => (p.Y - ratio * p.X) / meanX).ToList(), 0);
    }

    /// <summary>The value, or null when it is missing, NaN or infinite (a figure that could not be computed).</summary>
    public static double? FiniteOrNull(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>Sample variance (n − 1 denominator).</summary>
    public static double Variance(IReadOnlyList<double> values, double mean)
    {
        double sum = 0;
        foreach (var v in values) sum += Sq(v - mean);
        return sum / (values.Count - 1);
    }

    private static double Sq(double x) => x * x;
}
