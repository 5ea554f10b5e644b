using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.RiskScoring;

/// <summary>Risk scoring settings (section <c>RiskScoring</c>).</summary>
public sealed class RiskScoringOptions : IValidatableObject
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
    /// <summary>How often the cold-start trainer looks for outcomes when there is no model.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")] public TimeSpan TrainerPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MediumThreshold >= HighThreshold)
            yield return new ValidationResult("MediumThreshold must be below HighThreshold", [nameof(MediumThreshold), nameof(HighThreshold)]);
    }
}
