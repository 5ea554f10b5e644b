namespace LoanRecovery.Contracts;

/// <summary>A loan entered the system (from core banking, HTTP or the bulk import). Published by Ingestion.</summary>
/// <param name="LoanId">Loan business key.</param>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="Age">Borrower age in years.</param>
/// <param name="Gender">Borrower gender as recorded by the lender.</param>
/// <param name="EmploymentType">Employment type (Salaried, Self-Employed, Business Owner, Unemployed).</param>
/// <param name="MonthlyIncome">Monthly income, currency units.</param>
/// <param name="NumDependents">Number of dependents.</param>
/// <param name="LoanAmount">Principal lent, currency units.</param>
/// <param name="LoanTenureMonths">Tenure in months.</param>
/// <param name="InterestRate">Annual interest rate in percent.</param>
/// <param name="LoanType">Loan product (Home, Auto, Personal, Business).</param>
/// <param name="CollateralValue">Collateral value, currency units.</param>
/// <param name="OutstandingLoanAmount">Balance owed when the loan entered the system, currency units.</param>
/// <param name="MonthlyEmi">Contractual monthly instalment, currency units.</param>
/// <param name="OpenedOn">Disbursement date, when known.</param>
/// <param name="DaysPastDue">Days past due when the loan entered the system (non-zero only for imported portfolios).</param>
/// <param name="MissedPayments">Instalments missed so far when the loan entered the system.</param>
/// <param name="PaymentHistory">Lender's payment history grade when imported (On-Time, Delayed, Missed), otherwise null.</param>
/// <param name="OccurredAt">When Ingestion accepted the loan.</param>
public sealed record LoanOpened(
    string LoanId,
    string BorrowerId,
    int Age,
    string Gender,
    string EmploymentType,
    decimal MonthlyIncome,
    int NumDependents,
    decimal LoanAmount,
    int LoanTenureMonths,
    decimal InterestRate,
    string LoanType,
    decimal CollateralValue,
    decimal OutstandingLoanAmount,
    decimal MonthlyEmi,
    DateOnly? OpenedOn,
    int DaysPastDue,
    int MissedPayments,
    string? PaymentHistory,
    DateTimeOffset OccurredAt);

/// <summary>An instalment was recorded and the loan's delinquency recomputed. Published by Ingestion.</summary>
/// <param name="PaymentId">Payment business key.</param>
/// <param name="LoanId">Loan business key.</param>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="DueDate">Date the instalment fell due.</param>
/// <param name="AmountDue">Amount due, currency units.</param>
/// <param name="AmountPaid">Amount paid, currency units (0 when missed).</param>
/// <param name="PaidOn">Date paid; null when missed.</param>
/// <param name="DaysPastDue">Days past due after this payment: days from the oldest instalment still unpaid to the payment's effective date (paid-on date, or due date when missed); 0 when nothing is in arrears.</param>
/// <param name="MissedPayments">Total instalments missed on this loan, including this one if it was missed.</param>
/// <param name="ArrearsAmount">Amount overdue after this payment, currency units.</param>
/// <param name="OutstandingBalance">Balance owed after this payment, currency units.</param>
/// <param name="RecordedAt">When Ingestion recorded the payment.</param>
public sealed record PaymentRecorded(
    string PaymentId,
    string LoanId,
    string BorrowerId,
    DateOnly DueDate,
    decimal AmountDue,
    decimal AmountPaid,
    DateOnly? PaidOn,
    int DaysPastDue,
    int MissedPayments,
    decimal ArrearsAmount,
    decimal OutstandingBalance,
    DateTimeOffset RecordedAt);

/// <summary>A borrower's segment is new or changed. Published by Segmentation.</summary>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="SegmentId">Segment number within the segmentation model.</param>
/// <param name="SegmentLabel">Segment name in words a collections team understands.</param>
/// <param name="SegmentModelVersion">Version of the k-means model that assigned the segment.</param>
/// <param name="OccurredAt">When the segment was assigned.</param>
public sealed record BorrowerSegmented(
    string BorrowerId,
    int SegmentId,
    string SegmentLabel,
    string SegmentModelVersion,
    DateTimeOffset OccurredAt);

/// <summary>Risk band of a calibrated probability of not recovering a loan.</summary>
public enum RiskBand
{
    /// <summary>Probability below the lower threshold (0.50 by default).</summary>
    Low,
    /// <summary>Probability from the lower to the upper threshold (0.50–0.75 by default).</summary>
    Medium,
    /// <summary>Probability above the upper threshold (0.75 by default).</summary>
    High,
}

/// <summary>One reason behind a score: a feature's exact TreeSHAP contribution.</summary>
/// <param name="Feature">Model feature name.</param>
/// <param name="Value">The feature's value in the scored snapshot, as text in original units.</param>
/// <param name="Contribution">Contribution to the calibrated probability (positive raises the risk): the feature's share of the move from the base probability to this loan's probability.</param>
/// <param name="Sentence">The contribution in plain words, e.g. "12 days past due raised the risk by 0.08".</param>
public sealed record ReasonCode(string Feature, string Value, double Contribution, string Sentence);

/// <summary>A delinquent loan was scored. Published by RiskScoring.</summary>
/// <param name="ScoreId">Unique id of this score (audit key).</param>
/// <param name="LoanId">Loan business key.</param>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="PaymentId">Payment whose recording triggered the score, when one did.</param>
/// <param name="Probability">Calibrated probability (0–1) that the loan will not be fully recovered.</param>
/// <param name="Band">Band of <paramref name="Probability"/> under the configured thresholds.</param>
/// <param name="Reasons">Top contributions, largest first.</param>
/// <param name="SegmentId">Borrower segment at scoring time, when known.</param>
/// <param name="SegmentLabel">Borrower segment label at scoring time, when known.</param>
/// <param name="ModelVersion">Version of the model that produced the score.</param>
/// <param name="ModelUsable">Whether that model passed its quality gate; when false the score must not drive decisions.</param>
/// <param name="Features">The input snapshot the score was computed from (feature name → value; null when missing; a categorical feature is the index of its category in the model's feature schema).</param>
/// <param name="ScoredAt">When the score was computed.</param>
/// <param name="ExpectedValue">The model's expected raw output (log-odds) over its training data: the TreeSHAP base value.</param>
/// <param name="RawScore">The model's raw output (log-odds, before calibration) for this loan.</param>
/// <param name="Contributions">Exact TreeSHAP contribution of every feature in raw (log-odds) units; they sum with <paramref name="ExpectedValue"/> to <paramref name="RawScore"/>.</param>
public sealed record RiskScored(
    Guid ScoreId,
    string LoanId,
    string BorrowerId,
    string? PaymentId,
    double Probability,
    RiskBand Band,
    IReadOnlyList<ReasonCode> Reasons,
    int? SegmentId,
    string? SegmentLabel,
    string ModelVersion,
    bool ModelUsable,
    IReadOnlyDictionary<string, double?> Features,
    DateTimeOffset ScoredAt,
    double ExpectedValue,
    double RawScore,
    IReadOnlyDictionary<string, double> Contributions);

/// <summary>Recovery strategy assigned to a delinquent loan.</summary>
public enum RecoveryStrategy
{
    /// <summary>Automated reminders and account monitoring.</summary>
    Reminder,
    /// <summary>Settlement offer and an affordable repayment plan.</summary>
    Settlement,
    /// <summary>Legal notice and the intensive recovery team.</summary>
    LegalAction,
}

/// <summary>Which policy arm decided an assignment.</summary>
public enum PolicyArm
{
    /// <summary>The champion policy.</summary>
    Champion,
    /// <summary>The challenger policy.</summary>
    Challenger,
    /// <summary>A uniformly random allowed strategy (exploration).</summary>
    Exploration,
}

/// <summary>
/// How far a loan has fallen behind, as collections stages it. The stage decides which strategies the compliance limits
/// can allow, so a strategy is decided again when a loan reaches a later stage, and outcomes are measured per stage.
/// </summary>
public enum DelinquencyStage
{
    /// <summary>Below the days past due from which legal action may be taken (StrategyAssignment's <c>LegalMinDaysPastDue</c>).</summary>
    Early,
    /// <summary>At or beyond those days past due: legal action is possible (subject to the other compliance limits).</summary>
    Late,
}

/// <summary>A strategy was assigned to a loan. Published by StrategyAssignment.</summary>
/// <param name="AssignmentId">Unique id of this assignment.</param>
/// <param name="LoanId">Loan business key.</param>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="Strategy">The strategy.</param>
/// <param name="Actions">Concrete actions (e.g. "legal notice", "settlement offer 15% discount").</param>
/// <param name="Priority">Expected amount at stake, currency units; higher is worked first.</param>
/// <param name="Reasons">Why this strategy, including any compliance substitution.</param>
/// <param name="PolicyVersion">Version of the policy that decided.</param>
/// <param name="Arm">Policy arm that decided.</param>
/// <param name="RuleBased">True when assigned by transparent rules because the model failed its quality gate.</param>
/// <param name="ScoreId">The score this assignment came from.</param>
/// <param name="Probability">That score's probability.</param>
/// <param name="ModelVersion">That score's model version.</param>
/// <param name="AssignedAt">When the strategy was assigned.</param>
/// <param name="Stage">The loan's delinquency stage when it was assigned; null from publishers that predate stages.</param>
public sealed record StrategyAssigned(
    Guid AssignmentId,
    string LoanId,
    string BorrowerId,
    RecoveryStrategy Strategy,
    IReadOnlyList<string> Actions,
    decimal Priority,
    IReadOnlyList<string> Reasons,
    string PolicyVersion,
    PolicyArm Arm,
    bool RuleBased,
    Guid ScoreId,
    double Probability,
    string ModelVersion,
    DateTimeOffset AssignedAt,
    DelinquencyStage? Stage = null);

/// <summary>A collection officer finished a task. Published by StrategyAssignment.</summary>
/// <param name="TaskId">Task id.</param>
/// <param name="AssignmentId">Assignment the task belongs to.</param>
/// <param name="LoanId">Loan business key.</param>
/// <param name="Action">Kind of task (call, letter, settlement offer, legal referral).</param>
/// <param name="Outcome">Recorded outcome (e.g. promise to pay, no answer, settled, refused).</param>
/// <param name="AmountPromised">Amount the borrower promised or settled for, currency units, when any.</param>
/// <param name="CompletedBy">Officer identifier (not a personal name).</param>
/// <param name="CompletedAt">When the task was completed.</param>
public sealed record CollectionTaskCompleted(
    Guid TaskId,
    Guid AssignmentId,
    string LoanId,
    string Action,
    string Outcome,
    decimal? AmountPromised,
    string CompletedBy,
    DateTimeOffset CompletedAt);

/// <summary>How a recovery episode ended.</summary>
public enum RecoveryStatus
{
    /// <summary>The balance was cleared.</summary>
    FullyRecovered,
    /// <summary>Part of the balance was recovered.</summary>
    PartiallyRecovered,
    /// <summary>Nothing (or too little to count) was recovered; the balance is written off.</summary>
    WrittenOff,
}

/// <summary>
/// The observed outcome of recovering a loan. Published by PerformanceTracking for closed episodes and by
/// Ingestion (with <paramref name="Historical"/> true) for the outcomes carried in an imported portfolio.
/// </summary>
/// <param name="OutcomeId">Unique id of this outcome.</param>
/// <param name="LoanId">Loan business key.</param>
/// <param name="BorrowerId">Borrower business key.</param>
/// <param name="Historical">True when imported from the lender's history rather than observed by the system.</param>
/// <param name="Status">How recovery ended.</param>
/// <param name="AmountRecovered">Amount recovered, currency units, when known.</param>
/// <param name="ContactCost">Cost of the contacts made, currency units, when known.</param>
/// <param name="DaysToRecover">Days from assignment to close, when known.</param>
/// <param name="Strategy">System strategy followed, when the episode was the system's.</param>
/// <param name="CollectionMethod">Lender's recorded collection method (historical outcomes), e.g. Settlement Offer.</param>
/// <param name="CollectionAttempts">Number of collection attempts made, when known.</param>
/// <param name="LegalActionTaken">Whether legal action was taken, when known.</param>
/// <param name="PolicyVersion">Policy version of the assignment, when the episode was the system's.</param>
/// <param name="Arm">Policy arm of the assignment, when the episode was the system's.</param>
/// <param name="ModelVersion">Model version of the score behind the assignment, when the episode was the system's.</param>
/// <param name="Features">Features the score was made from (empty for historical outcomes: RiskScoring rebuilds them from its own snapshot).</param>
/// <param name="RecordedAt">When the outcome was recorded.</param>
public sealed record RecoveryOutcomeRecorded(
    Guid OutcomeId,
    string LoanId,
    string BorrowerId,
    bool Historical,
    RecoveryStatus Status,
    decimal? AmountRecovered,
    decimal? ContactCost,
    int? DaysToRecover,
    RecoveryStrategy? Strategy,
    string? CollectionMethod,
    int? CollectionAttempts,
    bool? LegalActionTaken,
    string? PolicyVersion,
    PolicyArm? Arm,
    string? ModelVersion,
    IReadOnlyDictionary<string, double?> Features,
    DateTimeOffset RecordedAt);

/// <summary>A risk model became champion. Published by RiskScoring.</summary>
/// <param name="ModelVersion">The new champion.</param>
/// <param name="PreviousVersion">The champion it replaced, if any.</param>
/// <param name="Usable">Whether the model passed its quality gate.</param>
/// <param name="Auc">Holdout AUC.</param>
/// <param name="AucLow">Lower bound of the AUC's 95% confidence interval.</param>
/// <param name="AucHigh">Upper bound of the AUC's 95% confidence interval.</param>
/// <param name="Reason">Why it was promoted, in words.</param>
/// <param name="PromotedAt">When it was promoted.</param>
public sealed record ModelPromoted(
    string ModelVersion,
    string? PreviousVersion,
    bool Usable,
    double Auc,
    double AucLow,
    double AucHigh,
    string Reason,
    DateTimeOffset PromotedAt);
