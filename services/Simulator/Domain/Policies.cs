using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>The same strategy for every delinquent loan.</summary>
public sealed class FixedStrategyPolicy(RecoveryStrategy strategy) : IStrategyPolicy
{
    public RecoveryStrategy Strategy => strategy;
    public string Name => $"Always{strategy}";
    public RecoveryStrategy? Decide(LoanObservation observation) => strategy;
}

/// <summary>
/// The original fixed policy: the cold-start model trained on the seed file fails its quality gate, so the
/// system decides by the transparent rules on days past due and missed payments (StrategyAssignment's fallback).
/// </summary>
public sealed class BaselinePolicy(BaselineSettings rules) : IStrategyPolicy
{
    public string Name => "Baseline";

    public RecoveryStrategy? Decide(LoanObservation o) =>
        o.DaysPastDue >= rules.LegalDaysPastDue || o.MissedPayments >= rules.LegalMissedPayments ? RecoveryStrategy.LegalAction
        : o.DaysPastDue >= rules.SettlementDaysPastDue || o.MissedPayments >= rules.SettlementMissedPayments ? RecoveryStrategy.Settlement
        : RecoveryStrategy.Reminder;
}

/// <summary>The lender's past practice for the written history: a share of delinquent loans got a random strategy, the rest the rules.</summary>
public sealed class HistoricalPolicy(SimulationConfig config, int seed) : IStrategyPolicy
{
    private readonly BaselinePolicy _rules = new(config.Baseline);
    public string Name => "Historical";

    public RecoveryStrategy? Decide(LoanObservation o)
    {
        var i = o.Loan.Index;
        if (Draws.Uniform(seed, i, 0, Purpose.History) < config.History.RandomStrategyShare)
            return (RecoveryStrategy)(int)Math.Floor(Draws.Uniform(seed, i, 0, Purpose.History, 1) * 3);
        return _rules.Decide(o);
    }
}

/// <summary>One strategy per loan, given in advance (the oracle's choice, or any per-loan plan).</summary>
public sealed class PerLoanPolicy(string name, IReadOnlyList<RecoveryStrategy> choice) : IStrategyPolicy
{
    public string Name => name;
    public RecoveryStrategy? Decide(LoanObservation o) => choice[o.Loan.Index];
}

/// <summary>
/// A policy held to the compliance guard the running system is held to (StrategyAssignment's): legal action it chooses where
/// compliance forbids it becomes settlement, the next allowed strategy. The baseline, the fixed strategies and therefore the
/// oracle are replayed through it, so the gap measures decisions, not rules that differ.
/// </summary>
public sealed class CompliantPolicy(IStrategyPolicy inner, ComplianceSettings compliance) : IStrategyPolicy
{
    public string Name => inner.Name;

    public RecoveryStrategy? Decide(LoanObservation o)
    {
        var chosen = inner.Decide(o);
        return chosen == RecoveryStrategy.LegalAction && !compliance.AllowsLegalAction(o.DaysPastDue, o.Outstanding) ? RecoveryStrategy.Settlement : chosen;
    }
}
