using System.ComponentModel.DataAnnotations;
using LoanRecovery.ServiceDefaults.Messaging;

namespace LoanRecovery.RiskScoring;

/// <summary>Risk scoring settings (section <c>RiskScoring</c>).</summary>
public sealed class RiskScoringOptions : IValidatableObject, IWaitForUnknownLoans
{
    public const string Section = "RiskScoring";

    /// <summary>From this probability a score is in the medium band (settlement).</summary>
    [Range(0.0, 1.0)] public double MediumThreshold { get; set; } = 0.50;
    /// <summary>Above this probability a score is in the high band (legal action).</summary>
    [Range(0.0, 1.0)] public double HighThreshold { get; set; } = 0.75;
    /// <summary>Reasons given with each score.</summary>
    [Range(1, 20)] public int ReasonCount { get; set; } = 4;

    [Range(1, 5000)] public int Trees { get; set; } = 150;
    [Range(1, 12)] public int MaxDepth { get; set; } = 3;
    [Range(0.001, 1.0)] public double LearningRate { get; set; } = 0.05;
    [Range(0.0, 1000.0)] public double MinChildWeight { get; set; } = 3;
    /// <summary>Share of outcomes kept apart for the holdout metrics and the quality gate.</summary>
    [Range(0.05, 0.5)] public double HoldoutFraction { get; set; } = 0.25;
    /// <summary>Share of the remaining outcomes used to fit the calibration.</summary>
    [Range(0.05, 0.5)] public double CalibrationFraction { get; set; } = 0.25;
    /// <summary>Outcomes needed before a model is trained.</summary>
    [Range(20, 10_000_000)] public int MinimumTrainingRows { get; set; } = 100;
    public int Seed { get; set; } = 42;

    /// <summary>Cold start trains once no new outcome has arrived for this long (an import arrives as a burst).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")] public TimeSpan ColdStartQuietPeriod { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// ...but at most this long after <see cref="MinimumTrainingRows"/> live outcomes were reached: they can arrive as a
    /// steady stream with no quiet period at all, and the first model would never be trained. Imported (historical)
    /// outcomes do not start this clock, so an import is always waited for to its end.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")] public TimeSpan ColdStartMaxWait { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often the cold-start trainer looks for outcomes when there is no model.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")] public TimeSpan TrainerPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retraining runs once this many outcomes have arrived since the last model was trained.</summary>
    [Range(1, 10_000_000)] public int RetrainAfterOutcomes { get; set; } = 500;
    /// <summary>
    /// While drift is flagged for the champion, retraining runs once this many outcomes have arrived since the newest model
    /// (normally fewer than <see cref="RetrainAfterOutcomes"/>, so that drift brings retraining forward; at or above it,
    /// drift never triggers a retraining). Drift stays flagged for as long as
    /// the champion's inputs differ from its training data, so without this bar a challenger that was not promoted was
    /// followed by another at every check, each trained on the same outcomes and a handful more.
    /// </summary>
    [Range(1, 10_000_000)] public int RetrainOnDriftAfterOutcomes { get; set; } = 50;
    /// <summary>Retraining also runs when the newest model is this old.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")] public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How often the scheduler checks whether retraining is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")] public TimeSpan RetrainCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Share of the most recent outcomes kept as the out-of-time holdout on which challenger and champion are compared.</summary>
    [Range(0.05, 0.5)] public double OutOfTimeFraction { get; set; } = 0.25;
    /// <summary>
    /// Live outcomes (episodes the system closed, not imported history) that must be left for training after the
    /// out-of-time holdout before a challenger is trained and judged on live outcomes alone. Until then it trains on every
    /// outcome. The history's label and features are not the live ones (see <c>OutOfTimeSplitter</c>). A value below
    /// <see cref="MinimumTrainingRows"/> counts as that: a live training set too small to train on would stop retraining.
    /// </summary>
    [Range(20, 10_000_000)] public int MinimumLiveTrainingRows { get; set; } = 200;
    /// <summary>How much higher the challenger's out-of-time AUC must be (with an interval excluding zero) to replace a usable champion.</summary>
    [Range(0.0, 0.5)] public double PromotionMargin { get; set; } = 0.01;
    /// <summary>
    /// PerformanceTracking's address, for its drift report (retraining runs when drift is flagged for the champion). Empty:
    /// the address <c>run.sh</c> exports as <c>services__performancetracking__http__0</c>, or no drift signal.
    /// </summary>
    public string? PerformanceTrackingUrl { get; set; }

    /// <inheritdoc />
    [MinLength(1)] public TimeSpan[] UnknownLoanRetryIntervals { get; set; } = [];

    /// <summary>Bootstrap resamples for the interval of the AUC difference.</summary>
    [Range(100, 100_000)] public int BootstrapResamples { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MediumThreshold >= HighThreshold)
            yield return new ValidationResult("MediumThreshold must be below HighThreshold", [nameof(MediumThreshold), nameof(HighThreshold)]);
    }
}
