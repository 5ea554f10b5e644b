namespace LoanRecovery.Contracts;

/// <summary>The role a proposed policy should take in StrategyAssignment.</summary>
public enum ProposedRole
{
    /// <summary>Run the proposed table as the new challenger (randomised share of new loans).</summary>
    Challenger,
    /// <summary>Make the named, already running challenger version the champion.</summary>
    Champion,
}

/// <summary>One band × segment × delinquency stage cell of a proposed policy table.</summary>
/// <param name="Band">Risk band of the score (RiskScoring's band of the probability).</param>
/// <param name="Segment">Borrower segment label the cell applies to; null for every segment of the band.</param>
/// <param name="Strategy">Strategy the cell assigns.</param>
/// <param name="Basis">"measured" when chosen as the best expected net recovery rate, "champion" when the data was too thin and the champion's choice is kept.</param>
/// <param name="Episodes">Closed randomised episodes of this cell the estimate used (all strategies).</param>
/// <param name="ExpectedNetRecovery">Expected net recovery per loan (amount recovered minus contact cost) of <paramref name="Strategy"/> in this cell, currency units; null when it was not measured.</param>
/// <param name="ExpectedNetRecoveryLow">Lower bound of its 95% confidence interval, when measured.</param>
/// <param name="ExpectedNetRecoveryHigh">Upper bound of its 95% confidence interval, when measured.</param>
/// <param name="Reason">Why this strategy, in plain words.</param>
/// <param name="Stage">Delinquency stage the cell applies to; null for every stage.</param>
/// <param name="ExpectedNetRecoveryRate">Expected net recovery rate of <paramref name="Strategy"/> in this cell: (amount recovered − contact cost) ÷ opening balance, a fraction; what the strategies of a cell are compared on. Null when it was not measured.</param>
/// <param name="ExpectedNetRecoveryRateLow">Lower bound of its 95% confidence interval, when measured.</param>
/// <param name="ExpectedNetRecoveryRateHigh">Upper bound of its 95% confidence interval, when measured.</param>
public sealed record PolicyCell(
    RiskBand Band,
    string? Segment,
    RecoveryStrategy Strategy,
    string Basis,
    int Episodes,
    decimal? ExpectedNetRecovery,
    decimal? ExpectedNetRecoveryLow,
    decimal? ExpectedNetRecoveryHigh,
    string Reason,
    DelinquencyStage? Stage = null,
    double? ExpectedNetRecoveryRate = null,
    double? ExpectedNetRecoveryRateLow = null,
    double? ExpectedNetRecoveryRateHigh = null);

/// <summary>
/// A policy proposal from the strategy refinement loop. Published by PerformanceTracking; StrategyAssignment acts on it:
/// with <paramref name="Role"/> Challenger it stores <paramref name="Cells"/> as a new table policy version and makes it the
/// challenger; with Role Champion it makes the running challenger <paramref name="PolicyVersion"/> the champion.
/// </summary>
/// <param name="ProposalId">Unique id of this proposal (idempotency key for the consumer).</param>
/// <param name="Role">What StrategyAssignment should do with it.</param>
/// <param name="PolicyVersion">For Champion: StrategyAssignment's version of the challenger to promote. Null for Challenger (StrategyAssignment names the new version).</param>
/// <param name="ChampionVersion">The champion version in force when the proposal was made (as seen on StrategyAssigned events), when known.</param>
/// <param name="Cells">For Challenger: the strategy of every band × segment cell measured; bands or segments without a cell keep the champion's thresholds. Empty for Champion.</param>
/// <param name="Episodes">Closed episodes the proposal or the promotion decision was computed from.</param>
/// <param name="Reason">The figures behind the proposal in plain words (for Champion: the measured difference in net recovery rate and its 95% confidence interval).</param>
/// <param name="ProposedAt">When the proposal was made.</param>
public sealed record PolicyProposed(
    Guid ProposalId,
    ProposedRole Role,
    string? PolicyVersion,
    string? ChampionVersion,
    IReadOnlyList<PolicyCell> Cells,
    int Episodes,
    string Reason,
    DateTimeOffset ProposedAt);
