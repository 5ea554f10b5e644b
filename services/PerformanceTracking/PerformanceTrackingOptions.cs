using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.PerformanceTracking;

/// <summary>Performance tracking settings (section <c>PerformanceTracking</c>).</summary>
public sealed class PerformanceTrackingOptions : IValidatableObject
{
    public const string Section = "PerformanceTracking";

    /// <summary>How long an episode is followed after its assignment before it closes on what was recovered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")] public TimeSpan ObservationWindow { get; set; } = TimeSpan.FromDays(90);
    /// <summary>How often the closer looks for episodes whose window has ended.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")] public TimeSpan CloseCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A balance (paid off) or arrears (current again at the end of the window) at or below this (currency units) counts as cleared.</summary>
    [Range(typeof(decimal), "0", "1000000")] public decimal ClearedBalance { get; set; } = 0.01m;
    /// <summary>Below this share of the opening balance recovered an episode is written off rather than partially recovered.</summary>
    [Range(typeof(decimal), "0", "1")] public decimal PartialMinimumShare { get; set; } = 0.05m;
    /// <summary>Cost of one completed task, by action (the CollectionTaskCompleted action name), currency units.</summary>
    public Dictionary<string, decimal> ContactCosts { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Cost of a completed task whose action is not in <see cref="ContactCosts"/>.</summary>
    [Range(typeof(decimal), "0", "1000000")] public decimal DefaultContactCost { get; set; } = 5m;

    /// <summary>From this probability a score is in the medium band (wording and the band of an assignment whose score was not seen).</summary>
    [Range(0.0, 1.0)] public double MediumFrom { get; set; } = 0.50;
    /// <summary>Above this probability a score is in the high band.</summary>
    [Range(0.0, 1.0)] public double HighAbove { get; set; } = 0.75;
    /// <summary>
    /// Upper bounds of the days-past-due buckets for roll rates (current and the last open bucket are added), e.g. 30, 60, 90.
    /// No default in code: configuration binding appends to an array instead of replacing it.
    /// </summary>
    [MinLength(1)] public int[] DaysPastDueBuckets { get; set; } = [];
    /// <summary>Episodes each group needs before a difference becomes a suggestion.</summary>
    [Range(1, 1_000_000)] public int MinimumGroupSize { get; set; } = 30;

    /// <summary>Scores of the current model that form the drift reference: its first N scored loans.</summary>
    [Range(10, 10_000_000)] public int DriftReferenceSize { get; set; } = 500;
    /// <summary>The current sample is the scored loans of this period, up to now.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")] public TimeSpan DriftWindow { get; set; } = TimeSpan.FromDays(30);
    /// <summary>PSI above this is flagged.</summary>
    [Range(0.0, 10.0)] public double DriftFlagAbove { get; set; } = 0.2;
    [Range(2, 100)] public int DriftBins { get; set; } = 10;
    /// <summary>Loans each sample needs before PSI is computed.</summary>
    [Range(2, 1_000_000)] public int DriftMinimumSample { get; set; } = 50;
    /// <summary>How often the drift gauges are recomputed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")] public TimeSpan DriftRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Closed episodes (any arm) each strategy of a cell needs before refinement trusts its estimate.</summary>
    [Range(2, 1_000_000)] public int MinimumCellEpisodes { get; set; } = 30;
    /// <summary>Closed episodes each arm needs before a challenger can be promoted.</summary>
    [Range(2, 1_000_000)] public int MinimumArmEpisodes { get; set; } = 100;
    /// <summary>The lower bound of the challenger − champion net recovery rate interval, in percentage points, must exceed this to promote.</summary>
    [Range(0.0, 100.0)] public double PromotionMarginPoints { get; set; } = 0;
    /// <summary>
    /// How long a challenger may run without a decision before refinement may replace it (zero: no bound). A challenger whose
    /// differing cells are rare can take longer than the portfolio's life to reach its episodes, and would hold every later
    /// refinement back meanwhile.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")] public TimeSpan ChallengerMaxRun { get; set; } = TimeSpan.FromDays(180);
    /// <summary>How often the refinement and promotion loop runs on its own; zero turns it off (the endpoints still run it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")] public TimeSpan PolicyLoopInterval { get; set; } = TimeSpan.FromDays(7);

    public decimal CostOf(string action) => ContactCosts.TryGetValue(action, out var cost) ? cost : DefaultContactCost;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MediumFrom >= HighAbove)
            yield return new ValidationResult("MediumFrom must be below HighAbove", [nameof(MediumFrom), nameof(HighAbove)]);
        if (ChallengerMaxRun > TimeSpan.Zero && ChallengerMaxRun <= ObservationWindow)
            yield return new ValidationResult("ChallengerMaxRun must be longer than ObservationWindow (or zero, for no bound): no episode of a challenger closes sooner",
                [nameof(ChallengerMaxRun), nameof(ObservationWindow)]);
        if (ContactCosts.Any(c => c.Value < 0))
            yield return new ValidationResult("Contact costs must not be negative", [nameof(ContactCosts)]);
        if (DaysPastDueBuckets.Any(b => b <= 0) || DaysPastDueBuckets.Zip(DaysPastDueBuckets.Skip(1)).Any(p => p.Second <= p.First))
            yield return new ValidationResult("DaysPastDueBuckets must be positive and increasing", [nameof(DaysPastDueBuckets)]);
    }
}
