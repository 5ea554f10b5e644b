using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>What a collection officer records for a task: the outcome StrategyAssignment accepts, and an amount when one applies.</summary>
public sealed record TaskOutcome(string Outcome, decimal? Amount, bool Promise);

/// <summary>
/// How a borrower answers the officer working a task. The answer follows the hidden response to the loan's current
/// strategy (the same draw the payment behaviour uses), so what officers record agrees with what the borrower then pays.
/// </summary>
public static class CollectionFloor
{
    public static TaskOutcome Respond(SimulationConfig config, int seed, SimLoan loan, LoanState state, int month, string taskKind)
    {
        var reached = Draws.Uniform(seed, loan.Index, month, Purpose.Floor, taskKind.GetHashCode(StringComparison.Ordinal) & 0xffff)
            < config.Floor.ReachProbability;
        var responded = state.Strategy is not null && state.Responded;
        var lump = state.Strategy is { } s ? (decimal)config.For(s).For(loan.Group(config.Groups)).LumpShareOfArrears : 0m;
        return taskKind switch
        {
            "AccountReview" => new TaskOutcome("Unreachable", null, false),
            "SettlementOffer" when responded => new TaskOutcome("SettlementAccepted", Money(Math.Max(state.Arrears * lump, loan.MonthlyEmi)), false),
            _ when responded => new TaskOutcome("PromiseToPay", Money(Math.Min(loan.MonthlyEmi, Math.Max(state.Arrears, loan.MonthlyEmi))), true),
            "LegalReferral" => new TaskOutcome("Refused", null, false),
            _ => new TaskOutcome(reached ? "Refused" : "Unreachable", null, false),
        };
    }

    private static decimal Money(decimal value) => Math.Round(value, 2);
}

/// <summary>The strategies the running system assigned, as the collection floor heard them; a policy for the simulation.</summary>
public sealed class AssignedStrategyBook : IStrategyPolicy
{
    private readonly Dictionary<string, (RecoveryStrategy Strategy, DateTimeOffset At)> _latest = new();
    private readonly Lock _lock = new();

    public string Name => "System";
    public int Received { get; private set; }

    public void Record(string loanId, RecoveryStrategy strategy, DateTimeOffset assignedAt)
    {
        lock (_lock)
        {
            Received++;
            if (!_latest.TryGetValue(loanId, out var known) || known.At <= assignedAt)
                _latest[loanId] = (strategy, assignedAt);
        }
    }

    public RecoveryStrategy? StrategyOf(string loanId)
    {
        lock (_lock)
            return _latest.TryGetValue(loanId, out var known) ? known.Strategy : null;
    }

    public RecoveryStrategy? Decide(LoanObservation observation) => StrategyOf(observation.Loan.LoanId);
}
