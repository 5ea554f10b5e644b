using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>Recovery of one group of loans: what they owed from their first missed instalment, what came back, what collecting cost.</summary>
public sealed record RecoveryTally(int Loans, decimal Owed, decimal Collected, decimal Costs)
{
    public decimal Net => Collected - Costs;
    public double RecoveryRate => Owed > 0 ? (double)(Net / Owed) : 0;

    public static RecoveryTally Of(IEnumerable<LoanState> states)
    {
        int n = 0;
        decimal owed = 0, collected = 0, costs = 0;
        foreach (var s in states.Where(s => s.EverDelinquent))
        {
            n++;
            owed += s.Owed;
            collected += Math.Min(s.Collected, s.Owed);
            costs += s.Costs;
        }
        return new RecoveryTally(n, owed, collected, costs);
    }
}

/// <summary>One policy's recovery over the delinquent loans, overall and by the last strategy each loan had.</summary>
public sealed record PolicyResult(string Policy, RecoveryTally Total, IReadOnlyDictionary<string, RecoveryTally> ByStrategy)
{
    public static PolicyResult Of(string policy, IReadOnlyList<LoanState> states) =>
        new(policy, RecoveryTally.Of(states),
            states.Where(s => s.EverDelinquent)
                .GroupBy(s => s.LastStrategy?.ToString() ?? "None")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => RecoveryTally.Of(g)));
}

/// <summary>
/// One month of a system run against the baseline and the oracle: each policy's net recovery in that month alone (what the
/// delinquent loans paid in the month, up to what they owed, less the month's strategy costs), and the share of the
/// baseline→oracle gap the system closed in the month and over the months so far.
/// </summary>
/// <param name="Month">1-based month of the run.</param>
/// <param name="SystemNet">The system's net recovery in the month, currency units.</param>
/// <param name="BaselineNet">The baseline policy's, on the same borrowers and draws.</param>
/// <param name="OracleNet">The oracle's (each borrower's best fixed strategy over the whole run).</param>
/// <param name="GapClosed">(system − baseline) / (oracle − baseline) of the month's net recovery; null when the oracle did not recover more than the baseline that month.</param>
/// <param name="GapClosedToDate">The same over months 1..<paramref name="Month"/>; in the last month it equals the report's <see cref="RecoveryReport.GapClosed"/>.</param>
/// <param name="SystemStrategies">How many of the system's loans in arrears had each strategy in force at the end of the month.</param>
/// <param name="AgreesWithOracle">
/// Of those loans, the share whose strategy is the oracle's choice for the borrower (settlement counting as legal action where
/// compliance did not allow legal action then): how close the system's decisions are to the ground truth; null when none.
/// </param>
public sealed record MonthlyGap(int Month, decimal SystemNet, decimal BaselineNet, decimal OracleNet, double? GapClosed, double? GapClosedToDate,
    IReadOnlyDictionary<string, int>? SystemStrategies = null, double? AgreesWithOracle = null)
{
    /// <summary>
    /// The months of a run, from each policy's loan states (the same loans in the same order); <paramref name="oracleChoice"/> is
    /// the oracle's fixed strategy per loan.
    /// </summary>
    public static IReadOnlyList<MonthlyGap> Of(IReadOnlyList<LoanState> system, IReadOnlyList<LoanState> baseline, IReadOnlyList<LoanState> oracle,
        int months, IReadOnlyList<RecoveryStrategy>? oracleChoice = null)
    {
        var result = new List<MonthlyGap>(months);
        for (var m = 0; m < months; m++)
        {
            decimal s = InMonth(system, m), b = InMonth(baseline, m), o = InMonth(oracle, m);
            decimal sToDate = ToDate(system, m), bToDate = ToDate(baseline, m), oToDate = ToDate(oracle, m);
            var mix = Enum.GetValues<RecoveryStrategy>().ToDictionary(x => x.ToString(), x => system.Count(st => st.StrategyAt[m] == x));
            int decided = 0, agreeing = 0;
            if (oracleChoice is not null)
                for (var i = 0; i < system.Count; i++)
                {
                    if (system[i].StrategyAt[m] is not { } chosen)
                        continue;
                    decided++;
                    var best = oracleChoice[i] == RecoveryStrategy.LegalAction && !system[i].LegalAllowedAt[m] ? RecoveryStrategy.Settlement : oracleChoice[i];
                    if (chosen == best)
                        agreeing++;
                }
            result.Add(new MonthlyGap(m + 1, s, b, o, Share(s, b, o), Share(sToDate, bToDate, oToDate), mix,
                decided > 0 ? (double)agreeing / decided : null));
        }
        return result;
    }

    private static decimal ToDate(IReadOnlyList<LoanState> states, int month) => states.Sum(s => s.NetToDate[month]);

    private static decimal InMonth(IReadOnlyList<LoanState> states, int month) =>
        ToDate(states, month) - (month == 0 ? 0 : ToDate(states, month - 1));

    private static double? Share(decimal system, decimal baseline, decimal oracle) =>
        oracle - baseline <= 0 ? null : (double)((system - baseline) / (oracle - baseline));
}

/// <summary>
/// The ground-truth comparison only the simulator can make; with a system run, <c>ByMonth</c> follows the gap closed
/// month by month (null otherwise).
/// </summary>
public sealed record RecoveryReport(
    int Loans,
    int Months,
    int Seed,
    PolicyResult? System,
    PolicyResult Baseline,
    IReadOnlyList<PolicyResult> Fixed,
    PolicyResult Oracle,
    IReadOnlyDictionary<string, string> BestStrategyByGroup,
    IReadOnlyDictionary<string, int> LoansByGroup,
    IReadOnlyList<MonthlyGap>? ByMonth = null,
    PolicyResult? KnownGroup = null,
    PolicyResult? OracleInExpectation = null)
{
    /// <summary>Share of the gap between the baseline and the oracle that the system closed (null without a system run).</summary>
    public double? GapClosed => ShareOfGap(System);

    /// <summary>
    /// Share of the same gap closed by <see cref="KnownGroup"/>: what choosing by each borrower's kind is worth. The rest is
    /// what the oracle knows beyond the kind (each borrower's own draws, the differences within a kind).
    /// </summary>
    public double? KnownGroupGapClosed => ShareOfGap(KnownGroup);

    /// <summary>
    /// Share of the gap between the baseline and <see cref="OracleInExpectation"/> that the system closed: the gap a policy can
    /// close without knowing the borrowers' future luck (null without a system run or without that gap).
    /// </summary>
    public double? GapClosedInExpectation => OracleInExpectation is null ? null : ShareOfGap(System, OracleInExpectation);

    /// <summary>Share of the gap between the baseline and <see cref="OracleInExpectation"/> closed by <see cref="KnownGroup"/>.</summary>
    public double? KnownGroupGapClosedInExpectation => OracleInExpectation is null ? null : ShareOfGap(KnownGroup, OracleInExpectation);

    /// <summary>(policy − baseline) / (oracle − baseline) of the recovery rate; null without the policy or without a gap.</summary>
    private double? ShareOfGap(PolicyResult? policy, PolicyResult? oracle = null)
    {
        var gap = (oracle ?? Oracle).Total.RecoveryRate - Baseline.Total.RecoveryRate;
        return policy is null || gap <= 0 ? null : (policy.Total.RecoveryRate - Baseline.Total.RecoveryRate) / gap;
    }
}

/// <summary>
/// Replays the hidden model for the same borrowers under each policy with the same random draws (common random
/// numbers): the baseline, every fixed strategy, and the oracle that picks each borrower's best strategy.
/// </summary>
public static class Counterfactuals
{
    public static RecoveryReport Evaluate(SimulationConfig config, IReadOnlyList<SimLoan> loans, int seed, int months,
        PortfolioSimulation? system = null, int oracleReplications = OracleReplications)
    {
        // Every replayed policy is held to the same compliance limits as the running system: legal action only where the
        // guard allows it, settlement otherwise.
        var baseline = new PortfolioSimulation(config, loans, seed, months,
            new CompliantPolicy(new BaselinePolicy(config.Baseline), config.Compliance)).RunAll();
        var strategies = Enum.GetValues<RecoveryStrategy>();
        var fixedRuns = strategies
            .Select(s => new PortfolioSimulation(config, loans, seed, months, new CompliantPolicy(new FixedStrategyPolicy(s), config.Compliance)).RunAll())
            .ToArray();

        // The oracle knows the true effects and the draws: for each borrower, the (compliant) fixed strategy that recovers most.
        var oracleStates = new LoanState[loans.Count];
        var oracleChoice = new RecoveryStrategy[loans.Count];
        for (var i = 0; i < loans.Count; i++)
        {
            var best = BestOf(fixedRuns.Length, k => fixedRuns[k].States[i].Net);
            oracleStates[i] = fixedRuns[best].States[i];
            oracleChoice[i] = strategies[best];
        }

        var groups = loans.Select(l => l.Group(config.Groups)).ToArray();
        var bestByGroup = new Dictionary<string, string>();
        var bestRunOfGroup = new Dictionary<BorrowerGroup, int>();
        var loansByGroup = new Dictionary<string, int>();
        foreach (var group in Enum.GetValues<BorrowerGroup>())
        {
            var members = Enumerable.Range(0, loans.Count).Where(i => groups[i] == group).ToArray();
            loansByGroup[group.ToString()] = members.Length;
            var nets = fixedRuns.Select(run => members.Select(i => run.States[i]).Where(s => s.EverDelinquent).Sum(s => s.Net)).ToArray();
            bestRunOfGroup[group] = Array.IndexOf(nets, nets.Max());
            if (members.Any(i => baseline.States[i].EverDelinquent))
                bestByGroup[group.ToString()] = strategies[bestRunOfGroup[group]].ToString();
        }

        // What a policy that knew each borrower's kind (hidden ability and willingness) and the true effects would recover: its
        // kind's best fixed strategy. A reference for the system's gap closed: the oracle also knows each borrower's own draws
        // and the differences within a kind, which no policy that learns per kind can. Each loan runs on its own, so its state
        // under its kind's strategy is its state in that fixed run (as for the oracle).
        var knownGroupStates = Enumerable.Range(0, loans.Count).Select(i => fixedRuns[bestRunOfGroup[groups[i]]].States[i]).ToArray();

        // A loan that never fell behind keeps its own draws throughout: no strategy acts on it, in the run or in a replication.
        var firstShortfall = baseline.States.Select(state => state.EverDelinquent ? state.FirstDelinquentMonth : months).ToArray();
        var expectedChoice = ExpectedBestStrategies(config, loans, seed, months, strategies, firstShortfall, oracleReplications);
        var oracleInExpectationStates = Enumerable.Range(0, loans.Count).Select(i => fixedRuns[expectedChoice[i]].States[i]).ToArray();

        return new RecoveryReport(loans.Count, months, seed,
            system is null ? null : PolicyResult.Of("System", system.States),
            PolicyResult.Of("Baseline", baseline.States),
            fixedRuns.Select(r => PolicyResult.Of(r.PolicyName, r.States)).ToArray(),
            PolicyResult.Of("Oracle", oracleStates),
            bestByGroup, loansByGroup,
            system is null ? null : MonthlyGap.Of(system.States, baseline.States, oracleStates, months, oracleChoice),
            PolicyResult.Of("KnownGroup", knownGroupStates),
            PolicyResult.Of("OracleInExpectation", oracleInExpectationStates));
    }

    /// <summary>
    /// The index among <paramref name="count"/> strategies with the highest net; on a tie (a loan that never falls behind, so
    /// no strategy acts) the first.
    /// </summary>
    private static int BestOf(int count, Func<int, decimal> netOf)
    {
        var best = 0;
        for (var k = 1; k < count; k++)
            if (netOf(k) > netOf(best))
                best = k;
        return best;
    }

    /// <summary>Replications of every fixed strategy from which <c>OracleInExpectation</c> chooses.</summary>
    public const int OracleReplications = 32;

    /// <summary>
    /// For each loan, the index of the (compliant) fixed strategy with the best mean net over <paramref name="replications"/>
    /// runs of the same borrowers that keep each loan's own draws through the month it first fell behind
    /// (<paramref name="firstShortfall"/>, the same under every policy: no strategy acts before it) and take other draws
    /// after it: its best strategy in expectation, knowing its hidden traits and everything that happened until it was first
    /// decided, but not what comes next. The choice is made on draws independent of the run's future, so, evaluated on the
    /// run's draws like every other policy, it does not profit from that luck as the oracle does. Finitely many replications
    /// leave some close choices wrong, so it recovers a little less than the exact expectation would.
    /// </summary>
    private static int[] ExpectedBestStrategies(SimulationConfig config, IReadOnlyList<SimLoan> loans, int seed, int months,
        RecoveryStrategy[] strategies, int[] firstShortfall, int replications)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replications, 1);
        // Each replication is independent (its own simulation), so they run in parallel; decimal sums are exact, so the
        // totals do not depend on the order they arrive in.
        var replayed = ParallelEnumerable.Range(0, strategies.Length * replications).Select(run =>
        {
            int k = run % strategies.Length, r = run / strategies.Length;
            // Another seed gives the same borrowers (the portfolio is already drawn), after each one's first shortfall, other
            // payment and response draws.
            int otherSeed = unchecked(seed ^ (int)(0x5BD1E995u * (uint)(r + 1)));
            var states = new PortfolioSimulation(config, loans, seed, months,
                new CompliantPolicy(new FixedStrategyPolicy(strategies[k]), config.Compliance), new OtherLuck(otherSeed, firstShortfall)).RunAll().States;
            return (Strategy: k, Nets: states.Select(state => state.Net).ToArray());
        }).ToList();
        var totals = new decimal[strategies.Length, loans.Count];
        foreach (var (k, nets) in replayed)
            for (var i = 0; i < loans.Count; i++)
                totals[k, i] += nets[i];
        return Enumerable.Range(0, loans.Count).Select(i => BestOf(strategies.Length, k => totals[k, i])).ToArray();
    }
}
