namespace LoanRecovery.RiskScoring.Persistence;

public sealed class LoanSnapshot
{
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public int? Age { get; set; }
    public string? EmploymentType { get; set; }
    public decimal? MonthlyIncome { get; set; }
    public int? NumDependents { get; set; }
    public decimal? LoanAmount { get; set; }
    public int? LoanTenureMonths { get; set; }
    public decimal? InterestRate { get; set; }
    public string? LoanType { get; set; }
    public decimal? CollateralValue { get; set; }
    public decimal? OutstandingBalance { get; set; }
    public decimal? MonthlyEmi { get; set; }
    public string? PaymentHistory { get; set; }
    public int? MissedPayments { get; set; }
    public int? DaysPastDue { get; set; }
    public string InitialFeatures { get; set; } = "{}";
    public DateTimeOffset? LastPaymentRecordedAt { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class BorrowerSegment
{
    public string BorrowerId { get; set; } = "";
    public int SegmentId { get; set; }
    public string SegmentLabel { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class TrainingExampleRow
{
    public Guid OutcomeId { get; set; }
    public string LoanId { get; set; } = "";
    public bool Historical { get; set; }
    public string Status { get; set; } = "";
    public bool NotFullyRecovered { get; set; }
    public string? Features { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

public sealed class RiskModelRecord
{
    public string Version { get; set; } = "";
    public int Sequence { get; set; }
    public string Kind { get; set; } = "";
    public DateTimeOffset TrainedAt { get; set; }
    public DateTimeOffset WindowFrom { get; set; }
    public DateTimeOffset WindowTo { get; set; }
    public int TrainingRows { get; set; }
    public double PositiveRate { get; set; }
    public string FeatureSchema { get; set; } = "";
    public string Metrics { get; set; } = "";
    public string Reliability { get; set; } = "";
    public string GlobalImportance { get; set; } = "";
    public bool Usable { get; set; }
    public string GateReason { get; set; } = "";
    public string ModelFile { get; set; } = "";
    public bool IsChampion { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
    /// <summary>When a retraining found the champion failing its gate on recent outcomes; its scores are not usable since.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnReason { get; set; }
    /// <summary>Whether scores from the model count: it passed its gate and has not been withdrawn since.</summary>
    public bool UsableNow => Usable && WithdrawnAt is null;
}

public sealed class ScoreRecord
{
    public Guid ScoreId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public string PaymentId { get; set; } = "";
    public double Probability { get; set; }
    public string Band { get; set; } = "";
    public string Reasons { get; set; } = "";
    public string Contributions { get; set; } = "";
    public string Features { get; set; } = "";
    public double ExpectedValue { get; set; }
    public double RawScore { get; set; }
    public string ModelVersion { get; set; } = "";
    public bool ModelUsable { get; set; }
    public int? SegmentId { get; set; }
    public string? SegmentLabel { get; set; }
    public DateTimeOffset ScoredAt { get; set; }
}

public sealed class PromotionDecisionRecord
{
    public Guid DecisionId { get; set; }
    public string ChallengerVersion { get; set; } = "";
    public string? ChampionVersion { get; set; }
    public string Trigger { get; set; } = "";
    public DateTimeOffset DecidedAt { get; set; }
    public DateTimeOffset Cutoff { get; set; }
    public int TrainingRows { get; set; }
    /// <summary>Which outcomes the model was trained on: <c>All</c>, or <c>Live</c> once the history was left out (<see cref="Domain.TrainingOutcomes"/>).</summary>
    public string TrainingOutcomes { get; set; } = nameof(Domain.TrainingOutcomes.All);
    public int HoldoutRows { get; set; }
    public double ChallengerAuc { get; set; }
    public double ChallengerAucLow { get; set; }
    public double ChallengerAucHigh { get; set; }
    public double? ChampionAuc { get; set; }
    public double? Difference { get; set; }
    public double? DifferenceLow { get; set; }
    public double? DifferenceHigh { get; set; }
    public bool Promoted { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>Who asked for the decision: the service itself, or the analyst who requested a retraining.</summary>
    public string Actor { get; set; } = "risk-scoring";
}
