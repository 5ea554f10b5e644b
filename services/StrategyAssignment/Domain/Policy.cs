using LoanRecovery.Contracts;

namespace LoanRecovery.StrategyAssignment.Domain;

/// <summary>How a policy document maps a score to a strategy.</summary>
public enum PolicyKind
{
    /// <summary>Probability thresholds: above <c>LegalAbove</c> legal action, from <c>SettlementFrom</c> settlement, else reminder.</summary>
    Thresholds,
    /// <summary>A table of strategy per risk band × segment × delinquency stage (bands from the same thresholds); unmatched cells use the thresholds.</summary>
    Table,
}

/// <summary>Transparent rules used when the score's model failed its quality gate.</summary>
public sealed record FallbackRules(int LegalDaysPastDue, int LegalMissedPayments, int SettlementDaysPastDue, int SettlementMissedPayments);

/// <summary>
/// One cell of a <see cref="PolicyKind.Table"/> policy; a null or "*" segment matches every segment, a null stage every
/// delinquency stage.
/// </summary>
public sealed record PolicyTableRow(RiskBand Band, string? Segment, RecoveryStrategy Strategy, DelinquencyStage? Stage = null);

/// <summary>A versioned policy as stored (JSON) in the schema.</summary>
public sealed record PolicyDocument(PolicyKind Kind, double LegalAbove, double SettlementFrom, FallbackRules Rules, IReadOnlyList<PolicyTableRow>? Table)
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (LegalAbove is < 0 or > 1 || double.IsNaN(LegalAbove))
            errors["legalAbove"] = ["must be between 0 and 1"];
        if (SettlementFrom is < 0 or > 1 || double.IsNaN(SettlementFrom))
            errors["settlementFrom"] = ["must be between 0 and 1"];
        else if (SettlementFrom >= LegalAbove)
            errors["settlementFrom"] = ["must be below legalAbove"];
        if (Rules is null)
            errors["rules"] = ["are required (the fallback when the model is not usable)"];
        else if (Rules.LegalDaysPastDue < 0 || Rules.LegalMissedPayments < 0 || Rules.SettlementDaysPastDue < 0 || Rules.SettlementMissedPayments < 0)
            errors["rules"] = ["must not be negative"];
        if (Kind == PolicyKind.Table && (Table is null || Table.Count == 0))
            errors["table"] = ["a table policy needs at least one row"];
        if (Table is not null && Table.GroupBy(r => (r.Band, Segment: NormaliseSegment(r.Segment), r.Stage)).Any(g => g.Count() > 1))
            errors["table"] = ["each band × segment × stage cell may appear once"];
        return errors;
    }

    internal static string NormaliseSegment(string? segment) => string.IsNullOrWhiteSpace(segment) ? "*" : segment.Trim();
}

/// <summary>What the policy needs to know about a score; <paramref name="Stage"/> is null in facts recorded before stages.</summary>
public sealed record ScoreFacts(
    double Probability,
    bool ModelUsable,
    int DaysPastDue,
    int MissedPayments,
    decimal OutstandingBalance,
    decimal? MonthlyIncome,
    decimal? MonthlyEmi,
    string? SegmentLabel,
    DelinquencyStage? Stage = null);

/// <summary>The strategy a policy chooses, before the compliance guard.</summary>
public sealed record PolicyDecision(RecoveryStrategy Strategy, RiskBand Band, bool RuleBased, IReadOnlyList<string> Reasons);

/// <summary>Applies a policy document to a score.</summary>
public static class PolicyEngine
{
    public static RiskBand BandOf(PolicyDocument policy, double probability) =>
        probability > policy.LegalAbove ? RiskBand.High : probability >= policy.SettlementFrom ? RiskBand.Medium : RiskBand.Low;

    public static RecoveryStrategy StrategyOf(RiskBand band) => band switch
    {
        RiskBand.High => RecoveryStrategy.LegalAction,
        RiskBand.Medium => RecoveryStrategy.Settlement,
        _ => RecoveryStrategy.Reminder,
    };

    public static PolicyDecision Decide(PolicyDocument policy, ScoreFacts score)
    {
        if (!score.ModelUsable)
            return ByRules(policy.Rules, score);

        var band = BandOf(policy, score.Probability);
        if (policy.Kind == PolicyKind.Table && policy.Table is { Count: > 0 } table && TableRow(table, band, score) is { } row)
        {
            var segment = PolicyDocument.NormaliseSegment(score.SegmentLabel);
            var stage = row.Stage is { } s ? $", {s} stage" : "";
            return new PolicyDecision(row.Strategy, band, false,
                [$"{band} risk (probability {score.Probability:0.00}) in segment {segment}{stage}: the policy table assigns {row.Strategy}"]);
        }

        var reason = band switch
        {
            RiskBand.High => $"Probability {score.Probability:0.00} is above {policy.LegalAbove:0.00}: legal notice and the intensive recovery team",
            RiskBand.Medium => $"Probability {score.Probability:0.00} is from {policy.SettlementFrom:0.00} to {policy.LegalAbove:0.00}: settlement offer and an affordable repayment plan",
            _ => $"Probability {score.Probability:0.00} is below {policy.SettlementFrom:0.00}: automated reminders and account monitoring",
        };
        return new PolicyDecision(StrategyOf(band), band, false, [reason]);
    }

    /// <summary>
    /// The most specific row for the score: its segment and stage, its segment in any stage, any segment in its stage, then
    /// any segment in any stage.
    /// </summary>
    private static PolicyTableRow? TableRow(IReadOnlyList<PolicyTableRow> table, RiskBand band, ScoreFacts score)
    {
        var segment = PolicyDocument.NormaliseSegment(score.SegmentLabel);
        PolicyTableRow? Find(string inSegment, DelinquencyStage? stage) =>
            table.FirstOrDefault(r => r.Band == band && PolicyDocument.NormaliseSegment(r.Segment) == inSegment && r.Stage == stage);
        return Find(segment, score.Stage) ?? Find(segment, null) ?? Find("*", score.Stage) ?? Find("*", null);
    }

    /// <summary>The transparent fallback on days past due and missed payments.</summary>
    public static PolicyDecision ByRules(FallbackRules rules, ScoreFacts score)
    {
        const string prefix = "Rule-based (the risk model failed its quality gate): ";
        if (score.DaysPastDue >= rules.LegalDaysPastDue || score.MissedPayments >= rules.LegalMissedPayments)
            return new PolicyDecision(RecoveryStrategy.LegalAction, RiskBand.High, true,
                [$"{prefix}{score.DaysPastDue} days past due and {score.MissedPayments} missed payment(s) reach {rules.LegalDaysPastDue}+ days or {rules.LegalMissedPayments}+ missed"]);
        if (score.DaysPastDue >= rules.SettlementDaysPastDue || score.MissedPayments >= rules.SettlementMissedPayments)
            return new PolicyDecision(RecoveryStrategy.Settlement, RiskBand.Medium, true,
                [$"{prefix}{score.DaysPastDue} days past due and {score.MissedPayments} missed payment(s) reach {rules.SettlementDaysPastDue}+ days or {rules.SettlementMissedPayments}+ missed"]);
        return new PolicyDecision(RecoveryStrategy.Reminder, RiskBand.Low, true,
            [$"{prefix}{score.DaysPastDue} days past due and {score.MissedPayments} missed payment(s) are below the settlement rules"]);
    }

    /// <summary>Expected recovery at stake: the balance times the probability of recovering it.</summary>
    public static decimal Priority(ScoreFacts score) =>
        Math.Round(score.OutstandingBalance * (decimal)Math.Clamp(1 - score.Probability, 0, 1), 2, MidpointRounding.AwayFromZero);
}

/// <summary>A loan's draw for the experiment, made once and kept for the loan's life.</summary>
/// <param name="InExperiment">The loan is in the experiment (challenger, or exploration).</param>
/// <param name="KeepsExploring">In the experiment, the loan is explored even while a challenger runs.</param>
public readonly record struct ArmDraw(bool InExperiment, bool KeepsExploring);

/// <summary>Draws the policy arm of a loan and the strategy of an exploration assignment.</summary>
/// <param name="explorationShare">Share of loans in the experiment.</param>
/// <param name="exploringWithChallengerShare">Share of the experiment's loans that are still explored while a challenger runs.</param>
/// <param name="random">The source of the draws (seeded for repeatable runs).</param>
public sealed class ArmSelector(double explorationShare, double exploringWithChallengerShare, Random random)
{
    private readonly Lock _gate = new();

    /// <summary>Whether a new loan goes to the experiment and, if so, whether it keeps exploring while a challenger runs.</summary>
    public ArmDraw Draw()
    {
        lock (_gate)
        {
            bool inExperiment = random.NextDouble() < explorationShare;
            return new ArmDraw(inExperiment, inExperiment && random.NextDouble() < exploringWithChallengerShare);
        }
    }

    // A challenger decides only the cells refinement measured; the cells it could not measure (too few episodes, a
    // delinquency stage few loans had reached) still need randomised episodes, or they could never be learned.
    public static PolicyArm ArmOf(ArmDraw draw, bool hasChallenger) =>
        !draw.InExperiment ? PolicyArm.Champion : hasChallenger && !draw.KeepsExploring ? PolicyArm.Challenger : PolicyArm.Exploration;

    public RecoveryStrategy PickUniformly(IReadOnlyList<RecoveryStrategy> allowed)
    {
        lock (_gate)
            return allowed[random.Next(allowed.Count)];
    }
}
