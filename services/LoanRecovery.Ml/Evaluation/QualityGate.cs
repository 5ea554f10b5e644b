using System.Globalization;

namespace LoanRecovery.Ml.Evaluation;

/// <summary>Whether a model may be used, and why, in one sentence.</summary>
public sealed record QualityVerdict(bool Usable, string Reason, AucResult Auc);

/// <summary>Settings of the quality gate.</summary>
public sealed class QualityGateOptions
{
    /// <summary>The lower bound of the AUC interval must be strictly above this (0.5 = chance).</summary>
    public double MinimumAucLowerBound { get; set; } = 0.5;

    /// <summary>Fewest rows of the rarer class on which a verdict is given at all.</summary>
    public int MinimumRowsPerClass { get; set; } = 5;
}

/// <summary>
/// A model is usable only when its holdout AUC is distinguishable from chance: the lower bound of the
/// AUC confidence interval lies above 0.5 (configurable). Otherwise scores would present noise as risk.
/// </summary>
public static class QualityGate
{
    public static QualityVerdict Assess(AucResult auc, QualityGateOptions? options = null)
    {
        options ??= new QualityGateOptions();
        string ci = $"{F(auc.Value)} ({Pct(auc.ConfidenceLevel)} CI {F(auc.Low)}–{F(auc.High)})";
        int rarer = Math.Min(auc.Positives, auc.Negatives);
        if (rarer < options.MinimumRowsPerClass)
            return new QualityVerdict(false,
                $"Not usable: the holdout has only {rarer} rows of the rarer class (at least {options.MinimumRowsPerClass} are needed), so holdout AUC {ci} cannot be trusted.", auc);
        if (auc.Low > options.MinimumAucLowerBound)
            return new QualityVerdict(true,
                $"Usable: holdout AUC {ci} is clear of chance (lower bound above {F(options.MinimumAucLowerBound)}).", auc);
        if (auc.High < 0.5)
            return new QualityVerdict(false,
                $"Not usable: holdout AUC {ci} is worse than chance; the model ranks risk backwards.", auc);
        if (options.MinimumAucLowerBound > 0.5 && auc.Low > 0.5)
            return new QualityVerdict(false,
                $"Not usable: holdout AUC {ci} is above chance, but its lower bound is not above the required {F(options.MinimumAucLowerBound)}.", auc);
        return new QualityVerdict(false,
            $"Not usable: holdout AUC {ci} is not distinguishable from chance.", auc);
    }

    public static QualityVerdict Assess(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, QualityGateOptions? options = null)
        => Assess(Auc.DeLong(scores, labels), options);

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Pct(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
