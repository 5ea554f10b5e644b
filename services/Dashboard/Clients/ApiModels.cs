using System.Text.Json;

namespace LoanRecovery.Dashboard.Clients;

// The parts of the services' responses the pages show. Enumerations arrive as names (the services write them as strings)
// and are kept as strings: the dashboard displays them and sends them back, it does not decide on them.

// Ingestion
public sealed record PaymentView(string PaymentId, DateOnly DueDate, decimal AmountDue, decimal AmountPaid, DateOnly? PaidOn, int DaysPastDue,
    int MissedPayments, decimal ArrearsAmount, decimal OutstandingBalance, DateTimeOffset RecordedAt);

public sealed record DelinquencyView(int DaysPastDue, int MissedPayments, decimal ArrearsAmount, DateOnly? OldestUnpaidDueDate,
    decimal OutstandingBalance, bool IsDelinquent, string? PaymentHistory);

public sealed record BorrowerView(string BorrowerId, int Age, string Gender, string EmploymentType, decimal MonthlyIncome, int NumDependents);

public sealed record LoanView(string LoanId, BorrowerView Borrower, decimal LoanAmount, int LoanTenureMonths, decimal InterestRate, string LoanType,
    decimal CollateralValue, decimal InitialOutstanding, decimal MonthlyEmi, DateOnly? OpenedOn, string Source, DelinquencyView Delinquency,
    IReadOnlyList<PaymentView> Payments);

// Segmentation
public sealed record BorrowerSegment(string BorrowerId, int? SegmentId, string? SegmentLabel, string? ModelVersion, DateTimeOffset? AssignedAt);

// RiskScoring
public sealed record ReasonCode(string Feature, string Value, double Contribution, string Sentence);

public sealed record ScoreView(Guid ScoreId, string PaymentId, double Probability, string Band, IReadOnlyList<ReasonCode> Reasons, string ModelVersion,
    bool ModelUsable, int? SegmentId, string? SegmentLabel, DateTimeOffset ScoredAt);

public sealed record PromotionDecisionView(string Trigger, DateTimeOffset DecidedAt, bool Promoted, string Reason, string? ComparedWith,
    DateTimeOffset Cutoff, int HoldoutRows, double ChallengerAuc, double ChallengerAucLow, double ChallengerAucHigh, double? ChampionAuc,
    double? Difference, double? DifferenceLow, double? DifferenceHigh);

public sealed record ModelSummary(string Version, DateTimeOffset TrainedAt, int TrainingRows, double Auc, double AucLow, double AucHigh, bool Usable,
    string GateReason, bool IsChampion, DateTimeOffset? PromotedAt, string Statement, PromotionDecisionView? Decision,
    DateTimeOffset? WithdrawnAt = null, string? WithdrawnReason = null);

public sealed record ReliabilityBin(double Low, double High, int Count, double MeanPredicted, double ObservedRate);

/// <summary>The calibration table of a model's holdout: equal-width bins of predicted probability, and the expected calibration error.</summary>
public sealed record ReliabilityTable(IReadOnlyList<ReliabilityBin> Bins, double Ece, int Rows);

public sealed record ModelDetail(ModelSummary Summary, string Kind, DateTimeOffset WindowFrom, DateTimeOffset WindowTo, double PositiveRate,
    ReliabilityTable Calibration, IReadOnlyDictionary<string, double> GlobalImportance);

public sealed record RetrainingResult(JsonElement Raw);

/// <summary>The what-if form as the API reads it; nullable so an empty field is named by the API, not read as zero.</summary>
public sealed record WhatIfRequest(int? Age, string? EmploymentType, decimal? MonthlyIncome, int? NumDependents, decimal? LoanAmount,
    int? LoanTenureMonths, decimal? InterestRate, string? LoanType, decimal? CollateralValue, decimal? OutstandingLoanAmount, decimal? MonthlyEmi,
    string? PaymentHistory, int? MissedPayments, int? DaysPastDue);

public sealed record StrategyPreview(string Strategy, bool RuleBased, string Explanation);

public sealed record WhatIfResponse(double Probability, string Band, IReadOnlyList<ReasonCode> Reasons, string ModelVersion, bool ModelUsable,
    string GateReason, StrategyPreview Strategy);

public sealed record HistogramBin(double From, double To, int Count);

public sealed record CategoryStatusCount(string Category, string Status, int Loans);

public sealed record StatusSpread(string Status, int Loans, double[] MonthlyIncome, double[] LoanAmount);

public sealed record IncomeBandAverage(double IncomeFrom, double IncomeTo, int Loans, double AverageLoanAmount);

public sealed record SegmentPoint(double MonthlyIncome, double LoanAmount);

public sealed record SegmentSample(int SegmentId, string Label, int Borrowers, IReadOnlyList<SegmentPoint> Points);

public sealed record PortfolioAnalytics(int Loans, int LoansWithOutcome, IReadOnlyList<HistogramBin> LoanAmountDistribution,
    IReadOnlyList<IncomeBandAverage> LoanAmountByIncome, IReadOnlyList<CategoryStatusCount> PaymentHistoryByStatus,
    IReadOnlyList<CategoryStatusCount> MissedPaymentsByStatus, IReadOnlyList<StatusSpread> IncomeAndAmountByStatus,
    IReadOnlyList<SegmentSample> Segments, int SamplePerSegment);

// StrategyAssignment
public sealed record TaskView(Guid TaskId, Guid AssignmentId, string LoanId, string BorrowerId, string Strategy, string Kind, bool IsContact,
    string Description, decimal Priority, DateTimeOffset DueAt, DateTimeOffset NotBefore, string? ComplianceReason, string Status, string? Assignee,
    DateTimeOffset? ClaimedAt, string? Outcome, DateOnly? PromisedDate, decimal? Amount, string? Note, DateTimeOffset? CompletedAt,
    string? PromiseState, int Version);

public sealed record TaskPage(IReadOnlyList<TaskView> Items, int Page, int PageSize, int Total);

public sealed record AssignmentView(Guid AssignmentId, string LoanId, string BorrowerId, string Strategy, string Band, bool RuleBased, string Arm,
    string PolicyVersion, string Source, double Probability, string ModelVersion, decimal Priority, IReadOnlyList<string> Actions,
    IReadOnlyList<string> Reasons, JsonElement? Plan, bool Active, DateTimeOffset AssignedAt, DateTimeOffset? EndedAt, string? EndedReason,
    string? Stage = null);

public sealed record DecisionEntry(DateTimeOffset At, string Type, string Summary, JsonElement Details);

public sealed record ClaimRequest(string? Officer, int? Version);

public sealed record OutcomeRequest(string? Officer, string? Outcome, DateOnly? PromisedDate, decimal? Amount, string? Note);

public sealed record OverrideRequest(string? Strategy, string? Reason, string? Officer);

// PerformanceTracking
public sealed record GroupFigures(string Key, int Episodes, int FullyRecovered, int PartiallyRecovered, int WrittenOff, double RecoveryRate,
    double RecoveryRateLow, double RecoveryRateHigh, decimal AmountRecovered, decimal OpeningBalance, double? AmountRecoveryRate, decimal ContactCost,
    double? CostToCollect, decimal NetRecoveryPerLoan, decimal? NetRecoveryPerLoanLow, decimal? NetRecoveryPerLoanHigh, double AverageDaysToRecover);

public sealed record RecoveryView(string By, int Episodes, IReadOnlyList<GroupFigures> Groups);

public sealed record PeriodStrategyFigures(string Period, string Strategy, GroupFigures Figures);

public sealed record RecoveryOverTime(string Period, int Episodes, IReadOnlyList<string> Periods, IReadOnlyList<PeriodStrategyFigures> Rows);

public sealed record CostView(string Key, int Episodes, decimal ContactCost, decimal AmountRecovered, double? CostToCollect, decimal ContactCostPerLoan);

public sealed record BandEffectiveness(string Band, string BandLabel, IReadOnlyList<GroupFigures> Strategies);

public sealed record EffectivenessView(string Note, IReadOnlyList<BandEffectiveness> Bands);

public sealed record Suggestion(string Text, string Kind, string? Band, string Better, string Worse, double Difference, double Low, double High, int Episodes);

public sealed record SuggestionsView(int MinimumGroupSize, IReadOnlyList<Suggestion> Suggestions);

public sealed record Comparison(double Difference, double Low, double High);

public sealed record ArmComparison(string? ChallengerVersion, string? ChampionVersion, int ChallengerEpisodes, int ChampionEpisodes,
    Comparison? RecoveryRatePoints, Comparison? NetRecoveryPerLoan, string? Statement);

public sealed record DriftItem(string Variable, double? Psi, bool Flagged, string Interpretation);

public sealed record DriftReport(string? ModelVersion, int ReferenceLoans, int CurrentLoans, bool Computed, string Statement, bool AnyFlagged,
    IReadOnlyList<DriftItem> Items);
