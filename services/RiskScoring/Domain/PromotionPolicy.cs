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
/// Decides on the out-of-time holdout whether a challenger replaces the champion: only if the challenger passes its own
/// gate (on its training outcomes) and the quality gate on the holdout, and either the champion's scores do not count
/// (it failed its own gate or was withdrawn), or it no longer passes on the holdout, or the challenger's AUC beats the
/// champion's by more than the margin with a 95% interval (paired bootstrap over the same loans) that excludes zero. A
/// champion that stays although it fails the gate on the holdout is reported (<see cref="PromotionVerdict.ChampionFails"/>).
/// </summary>
public static class PromotionPolicy
{
    /// <param name="challengerScores">The challenger's calibrated probabilities for the holdout's loans.</param>
    /// <param name="challengerOwnGate">The challenger's own verdict, from its training outcomes; a model that fails it would score as not usable.</param>
    /// <param name="championScores">The champion's, for the same loans; null without a champion.</param>
    /// <param name="championUsable">Whether the champion's scores count now (it passed its own gate and was not withdrawn).</param>
    /// <param name="labels">1 for a loan not fully recovered.</param>
    /// <param name="margin">How much higher the challenger's AUC must be.</param>
    /// <param name="resamples">Bootstrap resamples for the difference's interval.</param>
    /// <param name="seed">Seed of the bootstrap.</param>
    public static PromotionVerdict Decide(double[] challengerScores, QualityVerdict challengerOwnGate, double[]? championScores, bool championUsable,
        int[] labels, double margin, int resamples, int seed)
    {
        var challenger = Auc.DeLong(challengerScores, labels);
        var challengerGate = QualityGate.Assess(challenger);
        AucResult? champion = null;
        QualityVerdict? championGate = null;
        double? difference = null, low = null, high = null;
        if (championScores is not null)
        {
            champion = Auc.DeLong(championScores, labels);
            championGate = QualityGate.Assess(champion);
            (difference, low, high) = PairedDifference(challengerScores, championScores, labels, resamples, seed);
        }
        // "Not usable" for want of rows of one kind is a shortage of data, not a verdict on the champion.
        var championFails = championGate is { Usable: false } && Math.Min(champion!.Positives, champion.Negatives) >= new QualityGateOptions().MinimumRowsPerClass
            ? championGate.Reason
            : null;
        PromotionVerdict Verdict(bool promote, string reason) =>
            new(promote, reason, challenger, champion, difference, low, high) { ChampionFails = promote ? null : championFails };

        if (!challengerOwnGate.Usable)
            return Verdict(false, $"Challenger not promoted: on its own training outcomes it fails its gate ({challengerOwnGate.Reason})");
        if (!challengerGate.Usable)
            return Verdict(false, $"Challenger not promoted: {challengerGate.Reason}");
        if (championGate is null)
            return Verdict(true, $"No champion to compare with; the challenger passes its gate ({challengerGate.Reason})");
        if (!championUsable)
            return Verdict(true, $"Promoted: the champion's scores are marked not usable (it failed its gate or was withdrawn) and the challenger passes ({challengerGate.Reason})");
        if (!championGate.Usable)
            return Verdict(true, $"Promoted: the champion no longer passes on recent outcomes ({championGate.Reason}) and the challenger does ({challengerGate.Reason})");
        if (low > 0 && difference > margin)
            return Verdict(true, $"Promoted: the challenger's AUC is higher by {difference:0.000} (95% CI {low:0.000}–{high:0.000}), above the margin {margin:0.000}");
        return Verdict(false, low <= 0
            ? $"Challenger not promoted: its AUC differs from the champion's by {difference:0.000} (95% CI {low:0.000}–{high:0.000}), an interval that includes zero"
            : $"Challenger not promoted: its AUC is higher by {difference:0.000}, not above the margin {margin:0.000}");
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
