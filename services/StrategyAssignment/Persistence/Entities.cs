using LoanRecovery.Contracts;
using LoanRecovery.StrategyAssignment.Domain;

namespace LoanRecovery.StrategyAssignment.Persistence;

public sealed class PolicyRecord
{
    public string Version { get; set; } = "";
    public int Sequence { get; set; }
    public PolicyKind Kind { get; set; }
    public string Document { get; set; } = "{}";
    public string Description { get; set; } = "";
    public string Source { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Which policy is champion and which (if any) is challenger.</summary>
public sealed class PolicyRoleRecord
{
    public const string Champion = "champion", Challenger = "challenger";
    public string Role { get; set; } = "";
    public string Version { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>Append-only history of <see cref="PolicyRoleRecord"/>: who made which policy champion or challenger, when.</summary>
public sealed class PolicyRoleChangeRecord
{
    public long ChangeId { get; set; }
    public string Role { get; set; } = "";
    /// <summary>The policy that took the role; null when the role was cleared.</summary>
    public string? Version { get; set; }
    public string Actor { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class BorrowerComplianceRecord
{
    public string BorrowerId { get; set; } = "";
    public string? TimeZone { get; set; }
    public bool CeaseContact { get; set; }
    public bool Dispute { get; set; }
    public bool Bankruptcy { get; set; }
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The arm a loan was drawn into when first assigned (kept for the loan's life).</summary>
public sealed class LoanArmRecord
{
    public string LoanId { get; set; } = "";
    public bool InExperiment { get; set; }
    /// <summary>In the experiment, explored even while a challenger runs.</summary>
    public bool KeepsExploring { get; set; }
    public DateTimeOffset DrawnAt { get; set; }
}

public sealed class ScoreRecord
{
    public Guid ScoreId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public double Probability { get; set; }
    public RiskBand Band { get; set; }
    public string ModelVersion { get; set; } = "";
    public bool ModelUsable { get; set; }
    public string Features { get; set; } = "{}";
    public string Effect { get; set; } = "";
    public DateTimeOffset ScoredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

public static class AssignmentSource
{
    public const string Policy = "policy", Override = "override";
}

public sealed class AssignmentRecord
{
    public Guid AssignmentId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public RecoveryStrategy Strategy { get; set; }
    public RiskBand Band { get; set; }
    /// <summary>The loan's delinquency stage when assigned; null for assignments made before stages.</summary>
    public DelinquencyStage? Stage { get; set; }
    public bool RuleBased { get; set; }
    public PolicyArm Arm { get; set; }
    public string PolicyVersion { get; set; } = "";
    public string Source { get; set; } = AssignmentSource.Policy;
    public Guid ScoreId { get; set; }
    public double Probability { get; set; }
    public string ModelVersion { get; set; } = "";
    public decimal Priority { get; set; }
    public string Actions { get; set; } = "[]";
    public string Reasons { get; set; } = "[]";
    public string? Plan { get; set; }
    public string Facts { get; set; } = "{}";
    public bool Active { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedReason { get; set; }
    /// <summary>Who decided: this service, or the officer whose override it is.</summary>
    public string Actor { get; set; } = SystemActor;

    public const string SystemActor = "strategy-assignment";
}

public sealed class CollectionTaskRecord
{
    public Guid TaskId { get; set; }
    public Guid AssignmentId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public RecoveryStrategy Strategy { get; set; }
    public TaskKind Kind { get; set; }
    public bool IsContact { get; set; }
    public string Description { get; set; } = "";
    public decimal Priority { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public string? ComplianceReason { get; set; }
    public CollectionTaskStatus Status { get; set; }
    public string? Assignee { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public TaskOutcome? Outcome { get; set; }
    public string? Note { get; set; }
    public DateOnly? PromisedDate { get; set; }
    public decimal? Amount { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public PromiseState? PromiseState { get; set; }
    public DateTimeOffset? PromiseCheckedAt { get; set; }
    public Guid? FollowUpOf { get; set; }
    public string? CancelledReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>Append-only: the database refuses updates and deletes.</summary>
public sealed class OverrideAuditRecord
{
    public long Id { get; set; }
    public string LoanId { get; set; } = "";
    public Guid? FromAssignmentId { get; set; }
    public RecoveryStrategy? FromStrategy { get; set; }
    public Guid ToAssignmentId { get; set; }
    public RecoveryStrategy RequestedStrategy { get; set; }
    public RecoveryStrategy AssignedStrategy { get; set; }
    public string Reason { get; set; } = "";
    public string Officer { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

public sealed class PaymentRecord
{
    public string PaymentId { get; set; } = "";
    public string LoanId { get; set; } = "";
    public decimal AmountPaid { get; set; }
    public DateOnly? PaidOn { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
