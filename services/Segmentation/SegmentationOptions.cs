using System.ComponentModel.DataAnnotations;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.ServiceDefaults.Messaging;

namespace LoanRecovery.Segmentation;

/// <summary>Segmentation settings (section <c>Segmentation</c>).</summary>
public sealed class SegmentationOptions : IValidatableObject, IWaitForUnknownLoans
{
    public const string Section = "Segmentation";

    /// <summary>Number of segments when <see cref="KRange"/> is not set (4, as in the original write-ups).</summary>
    [Range(2, 50)] public int K { get; set; } = 4;

    /// <summary>When set (e.g. <c>2..8</c>), every k in the range is fitted and the one with the highest silhouette kept.</summary>
    public string? KRange { get; set; }

    /// <summary>Borrowers that must be known before the first model is fitted automatically.</summary>
    [Range(2, int.MaxValue)] public int MinBorrowersToFit { get; set; } = 50;

    /// <summary>The first fit waits until no new loan has arrived for this long (the end of an import's stream).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")] public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the background fitter checks whether the first model is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan FitCheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    /// <remarks>Here the loan can also be behind a fit holding the assignment lock.</remarks>
    [MinLength(1)] public TimeSpan[] UnknownLoanRetryIntervals { get; set; } = [];

    /// <summary>Seed of the k-means++ starts: the same data and seed give the same segments.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Independent k-means++ starts; the one with the lowest inertia wins.</summary>
    [Range(1, 1000)] public int Restarts { get; set; } = 10;

    /// <summary>Borrowers sampled (seeded) to compute the silhouette on large portfolios.</summary>
    [Range(10, 1_000_000)] public int SilhouetteSampleSize { get; set; } = 4000;

    /// <summary>Collateral cover (collateral ÷ outstanding) is capped here, so a paid-down loan does not dominate the distances.</summary>
    [Range(0.1, 1000)] public double CollateralCoverCap { get; set; } = 10;

    /// <summary>A segment whose centroid is at least this many days past due is named "behind on payments".</summary>
    [Range(0, 10_000)] public double BehindDaysPastDue { get; set; } = 90;

    /// <summary>A segment whose centroid has at least this many missed payments is named "behind on payments".</summary>
    [Range(0, 10_000)] public double BehindMissedPayments { get; set; } = 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KRange is { Length: > 0 } range && !KRangeText.TryParse(range, out _, out var error))
            yield return new ValidationResult($"KRange: {error}", [nameof(KRange)]);
    }

    internal FitSettings FitSettings(int? k = null, (int Min, int Max)? range = null)
    {
        var configured = KRange is { Length: > 0 } text && KRangeText.TryParse(text, out var parsed, out _) ? parsed : ((int, int)?)null;
        var (min, max) = k is int fixedK ? (fixedK, fixedK) : range ?? configured ?? (K, K);
        return new FitSettings(min, max, Seed, Restarts, SilhouetteSampleSize,
            new LabelThresholds(BehindDaysPastDue, BehindMissedPayments));
    }
}
