using LoanRecovery.Contracts;

namespace LoanRecovery.StrategyAssignment.Domain;

/// <summary>Turns a refinement proposal from PerformanceTracking into a policy document StrategyAssignment can run.</summary>
public static class PolicyProposals
{
    /// <summary>
    /// A table policy: the proposal's cells (a cell without a segment is the band's "*" row; a cell without a stage applies
    /// to both stages) on top of the champion's
    /// thresholds and fallback rules, so bands and segments without a cell are decided as the champion decides them.
    /// </summary>
    public static PolicyDocument ChallengerFrom(PolicyDocument champion, IReadOnlyList<PolicyCell> cells) =>
        new(PolicyKind.Table, champion.LegalAbove, champion.SettlementFrom, champion.Rules,
            cells.Select(c => new PolicyTableRow(c.Band, PolicyDocument.NormaliseSegment(c.Segment), c.Strategy, c.Stage)).ToList());

    /// <summary>The source recorded with a policy made from a proposal; also how a repeated proposal is recognised.</summary>
    public static string SourceOf(Guid proposalId) => $"performance:{proposalId}";
}
