using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Persistence;

/// <summary>A score as RiskScoring published it: the band, segment and features an episode is measured by, and drift's input.</summary>
public sealed class ScoreRecord
{
    public Guid ScoreId { get; set; }
    public string LoanId { get; set; } = "";
    public double Probability { get; set; }
    public RiskBand Band { get; set; }
    public string? SegmentLabel { get; set; }
    public string ModelVersion { get; set; } = "";
    public bool ModelUsable { get; set; }
    public string Features { get; set; } = "{}";
    public DateTimeOffset ScoredAt { get; set; }
}

/// <summary>A payment as Ingestion published it.</summary>
public sealed class PaymentRecord
{
    public string PaymentId { get; set; } = "";
    public string LoanId { get; set; } = "";
    public DateOnly DueDate { get; set; }
    public decimal AmountDue { get; set; }
    public decimal AmountPaid { get; set; }
    public DateOnly? PaidOn { get; set; }
    public int DaysPastDue { get; set; }
    public decimal OutstandingBalance { get; set; }
    /// <summary>The arrears the payment left; null for payments stored before it was kept.</summary>
    public decimal? ArrearsAmount { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Every strategy assignment seen; the first one of a loan with no open episode opens an episode.</summary>
public sealed class AssignmentRecord
{
    public Guid AssignmentId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public RecoveryStrategy Strategy { get; set; }
    public PolicyArm Arm { get; set; }
    public string PolicyVersion { get; set; } = "";
    public bool RuleBased { get; set; }
    public Guid ScoreId { get; set; }
    public double Probability { get; set; }
    public string ModelVersion { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }
    /// <summary>The loan's delinquency stage when assigned; null from publishers that predate stages.</summary>
    public DelinquencyStage? Stage { get; set; }
    /// <summary>The episode this assignment opened or fell into.</summary>
    public Guid EpisodeId { get; set; }
}

/// <summary>A completed collection task and its cost under the configuration when it arrived.</summary>
public sealed class ContactRecord
{
    public Guid TaskId { get; set; }
    public Guid AssignmentId { get; set; }
    public string LoanId { get; set; } = "";
    public string Action { get; set; } = "";
    public string Outcome { get; set; } = "";
    public decimal? AmountPromised { get; set; }
    public decimal Cost { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
}

/// <summary>A recovery episode: open from its assignment, closed with the figures computed from the payments and contacts rows.</summary>
public sealed class EpisodeRecord
{
    public Guid EpisodeId { get; set; }
    public Guid AssignmentId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public RecoveryStrategy Strategy { get; set; }
    public PolicyArm Arm { get; set; }
    public string PolicyVersion { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public Guid ScoreId { get; set; }
    public double Probability { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    /// <summary>The delinquency stage of the assignment that opened the episode; null for episodes from before stages.</summary>
    public DelinquencyStage? Stage { get; set; }
    /// <summary>End of the observation window; brought forward to the moment the loan reached a later stage.</summary>
    public DateTimeOffset WindowEndsAt { get; set; }
    public RecoveryStatus? Status { get; set; }
    public RiskBand? Band { get; set; }
    public string? Segment { get; set; }
    public decimal? OpeningBalance { get; set; }
    public decimal? AmountRecovered { get; set; }
    public decimal? ContactCost { get; set; }
    public int? Contacts { get; set; }
    public int? DaysToRecover { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? CloseReason { get; set; }
    public Guid? OutcomeId { get; set; }
}

/// <summary>A refined policy proposed as challenger, with the estimates behind every cell.</summary>
public sealed class PolicyProposalRecord
{
    public Guid ProposalId { get; set; }
    public long Sequence { get; set; }
    public string? ChampionVersion { get; set; }
    public string Cells { get; set; } = "[]";
    public int Episodes { get; set; }
    /// <summary>Closed episodes up to this moment are the data (recompute by filtering closed_at ≤ data_through).</summary>
    public DateTimeOffset DataThrough { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset ProposedAt { get; set; }
}

/// <summary>A promotion decision about a challenger policy and its figures.</summary>
public sealed class PolicyDecisionRecord
{
    public Guid DecisionId { get; set; }
    public long Sequence { get; set; }
    public string? ChallengerVersion { get; set; }
    public string? ChampionVersion { get; set; }
    public bool Promoted { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset? Since { get; set; }
    public int ChallengerEpisodes { get; set; }
    public int ChampionEpisodes { get; set; }
    public decimal? ChallengerNetPerLoan { get; set; }
    public decimal? ChampionNetPerLoan { get; set; }
    /// <summary>Net recovery ÷ opening balance of the challenger's episodes (a fraction); null before migration 0005.</summary>
    public double? ChallengerNetRate { get; set; }
    public double? ChampionNetRate { get; set; }
    /// <summary>Challenger − champion: net recovery rate in percentage points (from migration 0005; net recovery per loan before).</summary>
    public double? Difference { get; set; }
    public double? DifferenceLow { get; set; }
    public double? DifferenceHigh { get; set; }
    public double? PValue { get; set; }
    public DateTimeOffset DataThrough { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}
