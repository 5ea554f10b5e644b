using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.RiskScoring.Domain;

public sealed record PromotionVerdict(
    bool Promote,
    string Reason,
    AucResult Challenger,
    AucResult? Champion,
    double? Difference,
    double? DifferenceLow,
    double? DifferenceHigh)
{
    /// <summary>
    /// Set when the champion stays but fails the quality gate on the recent outcomes, with enough of each class for that
    /// to be a verdict and not a shortage of data: the gate's reason. Its scores must then stop counting as usable.
    /// </summary>
    public string? ChampionFails { get; init; }
}

/// <summary>
/// Decides on the out-of-time holdout whether a challenger replaces the champion: only if the challenger passes
/// the quality gate and either the champion no longer does, or the challenger's AUC beats the champion's by more
/// than the margin with a 95% interval (paired bootstrap over the same loans) that excludes zero. A champion that
/// stays although it fails the gate there is reported (<see cref="PromotionVerdict.ChampionFails"/>).
/// </summary>
public static class PromotionPolicy
{
    public static PromotionVerdict Decide(double[] challengerScores, double[]? championScores, int[] labels, double margin, int resamples, int seed)
    {
        var challenger = Auc.DeLong(challengerScores, labels);
        var challengerGate = QualityGate.Assess(challenger);
        if (championScores is null)
            return challengerGate.Usable
                ? new(true, $"No champion to compare with; the challenger passes its gate ({challengerGate.Reason})", challenger, null, null, null, null)
                : new(false, $"Challenger not promoted: {challengerGate.Reason}", challenger, null, null, null, null);

        var champion = Auc.DeLong(championScores, labels);
        var (difference, low, high) = PairedDifference(challengerScores, championScores, labels, resamples, seed);
        var championGate = QualityGate.Assess(champion);
        if (!challengerGate.Usable)
            return new(false, $"Challenger not promoted: {challengerGate.Reason}", challenger, champion, difference, low, high)
            {
                ChampionFails = !championGate.Usable && Math.Min(champion.Positives, champion.Negatives) >= new QualityGateOptions().MinimumRowsPerClass
                    ? championGate.Reason
                    : null,
            };
        if (!championGate.Usable)
            return new(true, $"Promoted: the champion no longer passes on recent outcomes ({championGate.Reason}) and the challenger does ({challengerGate.Reason})",
                challenger, champion, difference, low, high);
        if (low > 0 && difference > margin)
            return new(true, $"Promoted: the challenger's AUC is higher by {difference:0.000} (95% CI {low:0.000}–{high:0.000}), above the margin {margin:0.000}",
                challenger, champion, difference, low, high);
        return new(false, low <= 0
                ? $"Challenger not promoted: its AUC differs from the champion's by {difference:0.000} (95% CI {low:0.000}–{high:0.000}), an interval that includes zero"
                : $"Challenger not promoted: its AUC is higher by {difference:0.000}, not above the margin {margin:0.000}",
            challenger, champion, difference, low, high);
    }

    /// <summary>AUC(challenger) − AUC(champion) on the same loans, with a percentile bootstrap interval resampling loans.</summary>
    public static (double Difference, double Low, double High) PairedDifference(double[] a, double[] b, int[] labels, int resamples, int seed)
    {
        var observed = Auc.Value(a, labels) - Auc.Value(b, labels);
        var random = new Random(seed);
        var n = labels.Length;
        var differences = new List<double>(resamples);
        var sa = new double[n];
        var sb = new double[n];
        var sl = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var j = random.Next(n);
                sa[i] = a[j];
                sb[i] = b[j];
                sl[i] = labels[j];
            }
            var positives = sl.Sum();
            if (positives == 0 || positives == n)
                continue; // a resample with one class has no AUC
            differences.Add(Auc.Value(sa, sl) - Auc.Value(sb, sl));
        }
        differences.Sort();
        double Quantile(double q) => differences[Math.Clamp((int)Math.Floor(q * (differences.Count - 1)), 0, differences.Count - 1)];
        return (observed, Quantile(0.025), Quantile(0.975));
    }
}
