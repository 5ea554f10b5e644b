namespace LoanRecovery.Ml.Evaluation;

/// <summary>Counts of a binary decision at a threshold (score ≥ threshold → predicted positive).</summary>
public sealed record ConfusionMatrix(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    /// <summary>Recall, sensitivity, true positive rate.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}

/// <summary>All the holdout metrics of a probabilistic binary classifier in one place.</summary>
public sealed record ClassificationReport(
    AucResult Auc, double Ks, double Brier, double LogLoss, double Ece, ConfusionMatrix Confusion, int Rows, double PositiveRate)
{
    public double Gini => Auc.Gini;
}

/// <summary>Metrics of probabilistic binary classifiers. Labels are 0/1; scores are probabilities unless stated.</summary>
public static class Metrics
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] in log loss, as scikit-learn does.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>Default number of equal-width bins for expected calibration error.</summary>
    public const int DefaultCalibrationBins = 10;

    /// <summary>Kolmogorov–Smirnov statistic: the largest gap between the score CDFs of positives and negatives.</summary>
    public static double Ks(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        MetricGuards.CheckLengths(scores.Length, labels.Length);
        int len = scores.Length;
        var order = new int[len];
        var keys = scores.ToArray();
        int m = 0;
        for (int i = 0; i < len; i++) { order[i] = i; MetricGuards.CheckLabel(labels[i], i); m += labels[i]; }
        int n = len - m;
        if (m == 0 || n == 0) throw new ArgumentException($"KS needs both classes; got {m} positive and {n} negative rows.");
        Array.Sort(keys, order);
        double best = 0;
        int cp = 0, cn = 0, a = 0;
        while (a < len)
        {
            int b = a;
            while (b < len && keys[b] == keys[a]) { if (labels[order[b]] == 1) cp++; else cn++; b++; }
            best = Math.Max(best, Math.Abs((double)cp / m - (double)cn / n));
            a = b;
        }
        return best;
    }

    /// <summary>Mean squared difference between probability and outcome.</summary>
    public static double Brier(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        MetricGuards.CheckLengths(probabilities.Length, labels.Length);
        double s = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            double d = probabilities[i] - labels[i];
            s += d * d;
        }
        return s / probabilities.Length;
    }

    /// <summary>Mean negative log-likelihood (natural log), probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        MetricGuards.CheckLengths(probabilities.Length, labels.Length);
        double s = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            double p = Math.Clamp(probabilities[i], LogLossEpsilon, 1 - LogLossEpsilon);
            s -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }
        return s / probabilities.Length;
    }

    /// <summary>
    /// Expected calibration error: the row-weighted mean of |mean probability − observed rate| over
    /// equal-width probability bins.
    /// </summary>
    public static double Ece(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, int bins = DefaultCalibrationBins)
    {
        var table = ReliabilityBins(probabilities, labels, bins);
        double e = 0;
        foreach (var b in table)
            if (b.Count > 0) e += (double)b.Count / probabilities.Length * Math.Abs(b.MeanPredicted - b.ObservedRate);
        return e;
    }

    /// <summary>Equal-width bins over [0, 1] with the mean probability and observed positive rate of each.</summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityBins(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, int bins = DefaultCalibrationBins)
    {
        MetricGuards.CheckLengths(probabilities.Length, labels.Length);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one bin is needed.");
        var count = new int[bins];
        var sumP = new double[bins];
        var pos = new int[bins];
        for (int i = 0; i < probabilities.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            double p = probabilities[i];
            if (double.IsNaN(p) || p < 0 || p > 1)
                throw new ArgumentException($"Probability at row {i} is {p}; it must lie in [0, 1].");
            int b = Math.Min(bins - 1, (int)(p * bins));
            count[b]++;
            sumP[b] += p;
            pos[b] += labels[i];
        }
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
                count[b] == 0 ? 0 : sumP[b] / count[b], count[b] == 0 ? 0 : (double)pos[b] / count[b]);
        return result;
    }

    /// <summary>Confusion matrix with rows whose score is at or above <paramref name="threshold"/> predicted positive.</summary>
    public static ConfusionMatrix Confusion(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold)
    {
        MetricGuards.CheckLengths(scores.Length, labels.Length);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            bool predicted = scores[i] >= threshold;
            if (predicted) { if (labels[i] == 1) tp++; else fp++; }
            else { if (labels[i] == 1) fn++; else tn++; }
        }
        return new ConfusionMatrix(threshold, tp, fp, tn, fn);
    }

    /// <summary>Every metric of calibrated probabilities against outcomes; the confusion matrix is at <paramref name="threshold"/>.</summary>
    public static ClassificationReport Evaluate(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
        double threshold = 0.5, double confidenceLevel = Auc.DefaultConfidenceLevel, int calibrationBins = DefaultCalibrationBins)
    {
        var auc = Evaluation.Auc.DeLong(probabilities, labels, confidenceLevel);
        double rate = (double)auc.Positives / labels.Length;
        return new ClassificationReport(auc, Ks(probabilities, labels), Brier(probabilities, labels), LogLoss(probabilities, labels),
            Ece(probabilities, labels, calibrationBins), Confusion(probabilities, labels, threshold), labels.Length, rate);
    }
}

/// <summary>One bin of a reliability table.</summary>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanPredicted, double ObservedRate);
