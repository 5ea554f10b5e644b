using System.ComponentModel.DataAnnotations;
using LoanRecovery.StrategyAssignment.Domain;

namespace LoanRecovery.StrategyAssignment;

/// <summary>Strategy assignment settings (section <c>StrategyAssignment</c>).</summary>
public sealed class StrategyAssignmentOptions : IValidatableObject
{
    public const string Section = "StrategyAssignment";

    // The policy seeded from configuration (it becomes a versioned policy document in the schema).
    /// <summary>Above this probability the configured policy assigns legal action.</summary>
    [Range(0.0, 1.0)] public double LegalAbove { get; set; } = 0.75;
    /// <summary>From this probability (up to <see cref="LegalAbove"/>) the configured policy assigns settlement.</summary>
    [Range(0.0, 1.0)] public double SettlementFrom { get; set; } = 0.50;
    /// <summary>Rule-based fallback (model not usable): legal action from this many days past due...</summary>
    [Range(0, 3650)] public int RuleLegalDaysPastDue { get; set; } = 90;
    /// <summary>...or this many missed payments.</summary>
    [Range(0, 1000)] public int RuleLegalMissedPayments { get; set; } = 3;
    /// <summary>Rule-based fallback: settlement from this many days past due...</summary>
    [Range(0, 3650)] public int RuleSettlementDaysPastDue { get; set; } = 30;
    /// <summary>...or this many missed payments.</summary>
    [Range(0, 1000)] public int RuleSettlementMissedPayments { get; set; } = 1;

    /// <summary>Share of loans decided by the challenger policy, or by a random allowed strategy when there is none.</summary>
    [Range(0.0, 1.0)] public double ExplorationShare { get; set; } = 0.10;
    /// <summary>
    /// Share of the experiment's loans that are still decided by exploration while a challenger runs (the rest go to the
    /// challenger), so that cells the challenger could not measure keep gaining randomised outcomes.
    /// </summary>
    [Range(0.0, 1.0)] public double ExploringWithChallengerShare { get; set; } = 0.5;
    /// <summary>
    /// A loan still in arrears this long after its strategy was assigned is decided again on its next score, even in the same
    /// band and stage: the strategy has run its course (overrides and legal action excepted). The same as performance
    /// tracking's observation window by default; at or above it, a review opens the loan's next measured episode, below it
    /// the review falls in the episode still open. <c>00:00:00</c> never reviews.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")] public TimeSpan ReviewStrategyAfter { get; set; } = TimeSpan.FromDays(90);
    /// <summary>Seed of the arm and exploration draws; null draws from a fresh random source.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>Most contact attempts per borrower within <see cref="ContactWindow"/>.</summary>
    [Range(0, 1000)] public int MaxContactsPerWindow { get; set; } = 7;
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")] public TimeSpan ContactWindow { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Contact allowed from this local time of day in the borrower's time zone...</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")] public TimeSpan ContactHoursStart { get; set; } = TimeSpan.FromHours(8);
    /// <summary>...until this local time of day (exclusive); 1.00:00:00 means midnight.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")] public TimeSpan ContactHoursEnd { get; set; } = TimeSpan.FromHours(20);
    /// <summary>IANA time zone of borrowers who have none recorded.</summary>
    [Required] public string DefaultTimeZone { get; set; } = "Europe/London";
    /// <summary>Legal action only from this many days past due...</summary>
    [Range(0, 3650)] public int LegalMinDaysPastDue { get; set; } = 60;
    /// <summary>...and this outstanding balance.</summary>
    [Range(typeof(decimal), "0", "1000000000")] public decimal LegalMinBalance { get; set; } = 1000m;

    /// <summary>A repayment plan's instalment never exceeds this share of the borrower's monthly income.</summary>
    [Range(0.01, 1.0)] public decimal MaxInstalmentShareOfIncome { get; set; } = 0.30m;
    [Range(0.0, 0.95)] public decimal MinDiscount { get; set; }
    [Range(0.0, 0.95)] public decimal MaxDiscount { get; set; } = 0.25m;
    [Range(1, 600)] public int MaxPlanMonths { get; set; } = 36;

    /// <summary>Time from assignment to a task's due date, per kind of task.</summary>
    public Dictionary<TaskKind, TimeSpan> DueIn { get; set; } = new()
    {
        [TaskKind.Call] = TimeSpan.FromDays(1),
        [TaskKind.Letter] = TimeSpan.FromDays(2),
        [TaskKind.SettlementOffer] = TimeSpan.FromDays(2),
        [TaskKind.LegalReferral] = TimeSpan.FromDays(3),
        [TaskKind.Reminder] = TimeSpan.Zero,
        [TaskKind.AccountReview] = TimeSpan.FromDays(7),
    };

    /// <summary>A promise to pay is broken when the promised amount has not been paid this long after the promised date.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan PromiseGracePeriod { get; set; } = TimeSpan.FromDays(1);
    /// <summary>How often promises to pay are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")] public TimeSpan PromiseCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public PolicyDocument ConfiguredPolicy() => new(PolicyKind.Thresholds, LegalAbove, SettlementFrom,
        new FallbackRules(RuleLegalDaysPastDue, RuleLegalMissedPayments, RuleSettlementDaysPastDue, RuleSettlementMissedPayments), null);

    public ComplianceRules ComplianceRules() => new(MaxContactsPerWindow, ContactWindow, ContactHoursStart, ContactHoursEnd, LegalMinDaysPastDue, LegalMinBalance);

    public SettlementTerms SettlementTerms() => new(MaxInstalmentShareOfIncome, MinDiscount, MaxDiscount, MaxPlanMonths);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SettlementFrom >= LegalAbove)
            yield return new ValidationResult("SettlementFrom must be below LegalAbove", [nameof(SettlementFrom), nameof(LegalAbove)]);
        if (MinDiscount > MaxDiscount)
            yield return new ValidationResult("MinDiscount must not exceed MaxDiscount", [nameof(MinDiscount), nameof(MaxDiscount)]);
        if (ContactHoursStart >= ContactHoursEnd)
            yield return new ValidationResult("ContactHoursStart must be before ContactHoursEnd", [nameof(ContactHoursStart), nameof(ContactHoursEnd)]);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(DefaultTimeZone, out _))
            yield return new ValidationResult($"DefaultTimeZone '{DefaultTimeZone}' is not a known time zone", [nameof(DefaultTimeZone)]);
        foreach (var kind in Enum.GetValues<TaskKind>())
            if (!DueIn.TryGetValue(kind, out var due) || due < TimeSpan.Zero)
                yield return new ValidationResult($"DueIn must give a non-negative time for {kind}", [nameof(DueIn)]);
    }
}
