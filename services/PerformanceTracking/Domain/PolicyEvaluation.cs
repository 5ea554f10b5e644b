using System.Globalization;
using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>Champion against challenger over the same period, in the cells where they assign differently.</summary>
/// <param name="ChallengerVersion">The challenger policy version compared (the one most recently assigned).</param>
/// <param name="ChampionVersion">The champion policy version of the compared champion episodes.</param>
/// <param name="Since">First assignment of the challenger version; champion episodes assigned from then on are compared.</param>
/// <param name="ChallengerEpisodes">Closed challenger episodes compared (those in <paramref name="ComparedCells"/> that the policy decided, not the fallback rules).</param>
/// <param name="ChampionEpisodes">Closed champion episodes assigned since <paramref name="Since"/> compared (likewise).</param>
/// <param name="Challenger">Figures of the challenger episodes.</param>
/// <param name="Champion">Figures of the champion episodes.</param>
/// <param name="RecoveryRatePoints">Challenger − champion recovery rate, points (Newcombe 95% CI, pooled two-proportion z-test).</param>
/// <param name="NetRecoveryPerLoan">Challenger − champion net recovery per loan (Welch 95% CI and test); null with fewer than two episodes on a side.</param>
/// <param name="NetRecoveryRatePoints">Challenger − champion net recovery rate, percentage points (delta-method variances, Welch 95% CI and test): what promotion decides on. Null with fewer than two episodes with a known balance on a side.</param>
/// <param name="ComparedCells">The band × stage × segment cells where the two arms' policy-decided episodes received different strategies (each arm's most frequent), which are the ones compared; empty while no cell shows them differing (no such episodes on both arms yet, or the same strategy on both), and then nothing is compared.</param>
/// <param name="ChallengerArmEpisodes">Closed challenger episodes in every cell, those the fallback rules decided included.</param>
/// <param name="ChampionArmEpisodes">Closed champion episodes assigned since <paramref name="Since"/> in every cell, those the fallback rules decided included.</param>
public sealed record ArmComparison(
    string ChallengerVersion, string? ChampionVersion, DateTimeOffset Since, int ChallengerEpisodes, int ChampionEpisodes,
    GroupFigures Challenger, GroupFigures Champion, Comparison? RecoveryRatePoints, Comparison? NetRecoveryPerLoan, Comparison? NetRecoveryRatePoints = null,
    IReadOnlyList<string>? ComparedCells = null, int ChallengerArmEpisodes = 0, int ChampionArmEpisodes = 0);

/// <summary>The promotion decision about one challenger.</summary>
public sealed record PromotionVerdict(bool Promoted, string Reason, ArmComparison? Comparison);

public static class PolicyEvaluation
{
    /// <summary>
    /// The latest challenger version (by its most recent assignment) against the champion arm's episodes assigned since that
    /// challenger's first assignment: the arms were drawn at random over the same period, so the difference is the policy's.
    /// Only the cells (band × stage × segment at assignment) where the two arms assigned different strategies are compared:
    /// elsewhere both did the same, so those episodes add noise and no difference, and a challenger that changes one cell in
    /// ten would otherwise need about a hundred times the episodes to show the same gain. The cell is known before the
    /// strategy is drawn, so the arms stay comparable within it. Episodes the fallback rules decided (the model had failed its
    /// gate) are left out: the rules decide both arms alike, so those episodes too add noise and no difference, and while
    /// they fill the cells both arms seem to agree everywhere. Where no cell differs yet nothing is compared: over every
    /// episode the challenger's change is diluted past detection, and a challenger judged that way is decided unmeasured.
    /// </summary>
    public static ArmComparison? CompareArms(IReadOnlyList<ClosedEpisode> closed, IReadOnlyList<(PolicyArm Arm, string Version, DateTimeOffset AssignedAt)> assignments)
    {
        var challengerAssignments = assignments.Where(a => a.Arm == PolicyArm.Challenger).ToList();
        if (challengerAssignments.Count == 0) return null;
        string version = challengerAssignments.MaxBy(a => a.AssignedAt).Version;
        var since = challengerAssignments.Where(a => a.Version == version).Min(a => a.AssignedAt);
        var allChallenger = closed.Where(e => e.Arm == PolicyArm.Challenger && e.PolicyVersion == version).ToList();
        var allChampion = closed.Where(e => e.Arm == PolicyArm.Champion && e.AssignedAt >= since).ToList();
        var differing = DifferingCells(allChallenger.Where(e => !e.RuleBased).ToList(), allChampion.Where(e => !e.RuleBased).ToList());
        var challenger = allChallenger.Where(e => !e.RuleBased && differing.Contains(CellOf(e))).ToList();
        var champion = allChampion.Where(e => !e.RuleBased && differing.Contains(CellOf(e))).ToList();
        string? championVersion = champion.GroupBy(e => e.PolicyVersion).MaxBy(g => g.Count())?.Key
                                  ?? assignments.Where(a => a.Arm == PolicyArm.Champion).MaxBy(a => a.AssignedAt).Version;
        Comparison? rate = null, net = null;
        if (challenger.Count > 0 && champion.Count > 0)
        {
            var r = Statistics.NewcombeDifference(challenger.Count(e => e.FullyRecovered), challenger.Count, champion.Count(e => e.FullyRecovered), champion.Count);
            rate = r with { Difference = r.Difference * 100, Low = r.Low * 100, High = r.High * 100 };
        }
        if (challenger.Count >= 2 && champion.Count >= 2)
            net = Statistics.WelchDifference(challenger.Select(e => (double)e.NetRecovery).ToList(), champion.Select(e => (double)e.NetRecovery).ToList());
        Comparison? netRate = null;
        var (challengerPairs, championPairs) = (ClosedEpisode.RatePairs(challenger), ClosedEpisode.RatePairs(champion));
        if (challengerPairs.Count >= 2 && championPairs.Count >= 2)
        {
            var r = Statistics.RatioDifference(challengerPairs, championPairs);
            netRate = r with { Difference = r.Difference * 100, Low = r.Low * 100, High = r.High * 100 };
        }
        return new ArmComparison(version, championVersion, since, challenger.Count, champion.Count,
            GroupFigures.Of("Challenger", challenger), GroupFigures.Of("Champion", champion), rate, net, netRate,
            differing.OrderBy(c => c.Band).ThenBy(c => c.Stage).ThenBy(c => c.Segment, StringComparer.Ordinal).Select(Describe).ToList(),
            allChallenger.Count, allChampion.Count);
    }

    private static (RiskBand Band, DelinquencyStage? Stage, string? Segment) CellOf(ClosedEpisode e) => (e.Band, e.Stage, e.Segment);

    /// <summary>Cells with episodes on both arms where each arm's most frequent strategy differs.</summary>
    private static HashSet<(RiskBand Band, DelinquencyStage? Stage, string? Segment)> DifferingCells(List<ClosedEpisode> challenger, List<ClosedEpisode> champion)
    {
        static Dictionary<(RiskBand, DelinquencyStage?, string?), RecoveryStrategy> ChoiceByCell(List<ClosedEpisode> episodes) =>
            episodes.GroupBy(CellOf).ToDictionary(g => g.Key, g => g.GroupBy(e => e.Strategy).OrderByDescending(s => s.Count()).ThenBy(s => s.Key).First().Key);
        var championChoices = ChoiceByCell(champion);
        return ChoiceByCell(challenger).Where(c => championChoices.TryGetValue(c.Key, out var theirs) && theirs != c.Value).Select(c => c.Key).ToHashSet();
    }

    private static string Describe((RiskBand Band, DelinquencyStage? Stage, string? Segment) cell) =>
        $"band {cell.Band}" + (cell.Stage is { } stage ? $", {stage} stage" : "") + (cell.Segment is { } segment ? $", segment {segment}" : "");

    /// <summary>
    /// Promote only when both arms have enough closed episodes and the 95% interval of the challenger's net recovery rate
    /// minus the champion's, in percentage points, lies wholly above <paramref name="marginPoints"/> (0 by default: it
    /// excludes zero). The rate, not net recovery per loan: per loan, the arm whose loans happen to be larger looks better.
    /// </summary>
    public static PromotionVerdict Decide(ArmComparison? comparison, int minimumEpisodes, double marginPoints)
    {
        if (comparison is null)
            return new PromotionVerdict(false, "No challenger policy has run yet: nothing to compare.", null);
        var c = comparison;
        string cellsNote = c.ComparedCells switch
        {
            { Count: > 0 } cells => $" in the cells where the policies differ ({string.Join("; ", cells)})",
            { } => " in the cells where the policies differ (none yet: no cell where the arms' policy-decided episodes received different strategies)",
            null => "",
        };
        if (c.ChallengerEpisodes < minimumEpisodes || c.ChampionEpisodes < minimumEpisodes)
            return new PromotionVerdict(false, string.Create(CultureInfo.InvariantCulture,
                $"Not enough closed episodes{cellsNote}: challenger {c.ChallengerVersion} has {c.ChallengerEpisodes}, champion {c.ChampionVersion} has {c.ChampionEpisodes}; {minimumEpisodes} each are needed."), c);
        if (c.NetRecoveryRatePoints is not { } rate)
            return new PromotionVerdict(false,
                $"Not promoted: the net recovery rate cannot be compared, fewer than two episodes of an arm have a known opening balance (challenger {c.ChallengerVersion}, champion {c.ChampionVersion}).", c);
        string margin = marginPoints.ToString(CultureInfo.InvariantCulture);
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"{(cellsNote.Length > 0 ? cellsNote.TrimStart() + ", " : "")}challenger {c.ChallengerVersion} net recovery rate {c.Challenger.NetRecoveryRate:0.0%} ({c.Challenger.NetRecoveryPerLoan:0.00} per loan) over {c.ChallengerEpisodes} loans, champion {c.ChampionVersion} {c.Champion.NetRecoveryRate:0.0%} ({c.Champion.NetRecoveryPerLoan:0.00} per loan) over {c.ChampionEpisodes} loans; difference {rate.Difference:0.00} points (95% CI {rate.Low:0.00} to {rate.High:0.00}, Welch p = {rate.PValue:0.0000})");
        if (rate.Low > marginPoints)
            return new PromotionVerdict(true, $"Promoted: {figures}; the interval lies above {margin} points.", c);
        return new PromotionVerdict(false, rate.High < 0
            ? $"Not promoted: the challenger does worse; {figures}."
            : $"Not promoted: no difference shown; {figures}, which does not lie wholly above {margin} points.", c);
    }
}

/// <summary>
/// The refined policy, per risk band × delinquency stage and, where the data shows a segment differs, per segment too. From
/// closed episodes of every arm it estimates each strategy's expected net recovery rate (net recovery ÷ opening balance, with
/// its delta-method 95% interval; net recovery per loan is given beside it); a cell takes the strategy with the best expected
/// rate when the champion's choice and at least one other strategy each have enough episodes, and keeps the champion's
/// choice otherwise. Every arm counts because a loan's arm is drawn at random: within a cell, the loans the champion decided
/// are the same population as those exploration or the challenger decided, so the strategy the champion assigns there is
/// measured on its episodes too instead of on the randomised arms' third of them alone. Episodes assigned without a usable
/// model (the fallback rules deciding) count in no arm.
/// </summary>
public static class PolicyRefinement
{
    public static IReadOnlyList<PolicyCell> Refine(IReadOnlyList<ClosedEpisode> randomised, IReadOnlyList<ClosedEpisode> championArm, int minimumCellEpisodes)
    {
        var cells = new List<PolicyCell>();
        // Episodes assigned while no usable model scored the loan (none yet, or the champion failed its gate, so the fallback
        // rules decided) carry a band that means nothing: the placeholder score's, or a model's that ranks no better than
        // chance. They are another population under the cell's name, whichever arm they are in, and the rules' choices
        // among them are not the champion policy's.
        randomised = randomised.Where(e => !e.RuleBased).ToList();
        championArm = championArm.Where(e => !e.RuleBased).ToList();
        var all = randomised.Concat(championArm).ToList();
        foreach (var (band, stage) in all.Select(e => (e.Band, e.Stage)).Distinct().OrderBy(k => k.Band).ThenBy(k => k.Stage))
        {
            // Every segment of the band and stage together: the row that decides them all. Cut into segments first, most
            // cells of a real portfolio would never reach the episodes an estimate needs, and nothing would be learned.
            var pooledChampionChoice = ChampionChoice(championArm, band, null, stage);
            var pooled = Cell(band, null, stage, all.Where(e => e.Band == band && e.Stage == stage).ToList(), pooledChampionChoice,
                minimumCellEpisodes);
            cells.Add(pooled);
            var segments = all.Where(e => e.Band == band && e.Stage == stage && e.Segment is not null).Select(e => e.Segment!).Distinct()
                .Order(StringComparer.Ordinal);
            foreach (var segment in segments)
            {
                var segmentChampionChoice = ChampionChoice(championArm, band, segment, stage);
                var cell = Cell(band, segment, stage, all.Where(e => e.Band == band && e.Stage == stage && e.Segment == segment).ToList(),
                    segmentChampionChoice, minimumCellEpisodes);
                // A segment gets a row of its own where it was measured to do best with another strategy than the pooled row's,
                // and, where it was not measured, where the champion treats it differently from the rest of its band: a thin
                // segment keeps the champion's choice rather than taking the band's without evidence.
                bool measuredOtherwise = cell.Basis == "measured" && cell.Strategy != pooled.Strategy;
                bool championTreatsItApart = cell.Basis == "champion" && segmentChampionChoice != pooledChampionChoice;
                if (measuredOtherwise || championTreatsItApart)
                    cells.Add(cell);
            }
        }
        return cells;
    }

    private static PolicyCell Cell(RiskBand band, string? segment, DelinquencyStage? stage, List<ClosedEpisode> inCell, RecoveryStrategy championChoice,
        int minimumCellEpisodes)
    {
        var estimates = inCell.GroupBy(e => e.Strategy)
            .Select(g => new StrategyEstimate(g.Key, g.Count(), Statistics.Mean(g.Select(e => (double)e.NetRecovery).ToList()), ClosedEpisode.NetRecoveryRate(g)))
            .ToDictionary(x => x.Strategy);
        var enough = estimates.Values.Where(x => x.N >= minimumCellEpisodes && double.IsFinite(x.Rate.Estimate)).ToList();
        string where = (segment is null ? $"band {band}" : $"band {band}, segment {segment}") + (stage is null ? "" : $", {stage} stage");
        if (!enough.Any(x => x.Strategy == championChoice) || enough.Count < 2)
        {
            var own = estimates.GetValueOrDefault(championChoice);
            return new PolicyCell(band, segment, championChoice, "champion", inCell.Count,
                own is null ? null : Money.OrNull(own.Net.Estimate), own is null ? null : Money.OrNull(own.Net.Low), own is null ? null : Money.OrNull(own.Net.High),
                string.Create(CultureInfo.InvariantCulture,
                    $"In {where} too few episodes ({string.Join(", ", estimates.Values.OrderBy(x => x.Strategy).Select(x => $"{x.Strategy} {x.N}"))}; {minimumCellEpisodes} per strategy needed): the champion's {championChoice} is kept."),
                stage, Statistics.FiniteOrNull(own?.Rate.Estimate), Statistics.FiniteOrNull(own?.Rate.Low), Statistics.FiniteOrNull(own?.Rate.High));
        }
        // On a tie the champion's choice stays: a proposal must be measured better, not merely as good.
        var best = enough.OrderByDescending(x => x.Rate.Estimate).ThenByDescending(x => x.Strategy == championChoice).First();
        return new PolicyCell(band, segment, best.Strategy, "measured", inCell.Count,
            Money.OrNull(best.Net.Estimate), Money.OrNull(best.Net.Low), Money.OrNull(best.Net.High),
            string.Create(CultureInfo.InvariantCulture,
                $"In {where} {best.Strategy} has the best expected net recovery rate, {best.Rate.Estimate:0.0%} of the opening balance (95% CI {best.Rate.Low:0.0%} to {best.Rate.High:0.0%}; {best.Net.Estimate:0.00} per loan, {best.N} loans), against {Others(enough, best.Strategy)}."),
            stage, Statistics.FiniteOrNull(best.Rate.Estimate), Statistics.FiniteOrNull(best.Rate.Low), Statistics.FiniteOrNull(best.Rate.High));
    }

    /// <summary>One strategy's episodes in a cell: how many, net recovery per loan, and the net recovery rate.</summary>
    private sealed record StrategyEstimate(RecoveryStrategy Strategy, int N, Interval Net, Interval Rate);

    private static string Others(IEnumerable<StrategyEstimate> estimates, RecoveryStrategy best) =>
        string.Join(", ", estimates.Where(x => x.Strategy != best).OrderBy(x => x.Strategy)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Strategy} {x.Rate.Estimate:0.0%} ({x.Net.Estimate:0.00} per loan, {x.N} loans)")));

    /// <summary>
    /// The strategy the champion policy assigned most in the cell (a null segment: in every segment of the band and stage),
    /// the fallback rules' decisions not counted; when it has no episode there, <see cref="DefaultFor"/>.
    /// </summary>
    public static RecoveryStrategy ChampionChoice(IReadOnlyList<ClosedEpisode> championArm, RiskBand band, string? segment, DelinquencyStage? stage) =>
        championArm.Where(e => !e.RuleBased && e.Band == band && (segment is null || e.Segment == segment) && e.Stage == stage).GroupBy(e => e.Strategy)
            .OrderByDescending(g => g.Count()).Select(g => (RecoveryStrategy?)g.Key).FirstOrDefault() ?? DefaultFor(band, stage);

    /// <summary>
    /// The default thresholds policy's choice for a band, used when no champion episode of the cell was seen; in the early
    /// stage the compliance limits turn its legal action into settlement.
    /// </summary>
    public static RecoveryStrategy DefaultFor(RiskBand band, DelinquencyStage? stage = null) => band switch
    {
        RiskBand.High => stage == DelinquencyStage.Early ? RecoveryStrategy.Settlement : RecoveryStrategy.LegalAction,
        RiskBand.Medium => RecoveryStrategy.Settlement,
        _ => RecoveryStrategy.Reminder,
    };
}
