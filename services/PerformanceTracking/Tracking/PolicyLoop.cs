using System.Globalization;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.PerformanceTracking.Tracking;

public sealed record RefinementResult(bool Published, string Statement, PolicyProposalRecord? Proposal, IReadOnlyList<PolicyCell> Cells);

/// <summary>
/// The refinement and promotion loop. It learns only from recorded outcomes (closed episodes); it never models how outcomes
/// come about.
/// </summary>
public sealed partial class PolicyLoop(UnitOfWork<PerformanceDbContext> unitOfWork, PerformanceQueries queries, IOptions<PerformanceTrackingOptions> options,
    TimeProvider clock, ILogger<PolicyLoop> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Builds the refined policy and publishes it as the new challenger, unless it would assign what the champion assigns or repeats the last proposal.</summary>
    public Task<RefinementResult> RefineAsync(CancellationToken cancellationToken) => unitOfWork.RunAsync(async ct =>
    {
        await unitOfWork.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('performance-policy-loop'))", ct);
        var now = clock.GetUtcNow();
        var closed = await queries.ClosedEpisodesAsync(now, ct);
        var randomised = closed.Where(e => e.Arm is PolicyArm.Challenger or PolicyArm.Exploration).ToList();
        var championArm = closed.Where(e => e.Arm == PolicyArm.Champion).ToList();
        var refined = PolicyRefinement.Refine(randomised, championArm, options.Value.MinimumCellEpisodes);
        var last = await unitOfWork.Db.Proposals.AsNoTracking().OrderByDescending(p => p.Sequence).FirstOrDefaultAsync(ct);
        var (hold, replaced) = await HoldAsync(closed, last, now, ct);
        if (hold is not null)
            return new RefinementResult(false, hold, null, refined);
        var changed = refined.Where(c => c.Basis == "measured" && c.Strategy != PolicyRefinement.ChampionChoice(championArm, c.Band, c.Segment, c.Stage)).ToList();
        if (changed.Count == 0)
            return new RefinementResult(false,
                $"{replaced}Nothing proposed: no measured cell beats the champion's choice ({closed.Count} closed episodes, {randomised.Count} of them randomised, {closed.Count(e => e.RuleBased)} assigned by the fallback rules and not counted; {options.Value.MinimumCellEpisodes} per strategy and cell needed).",
                null, refined);
        if (last is not null && SameStrategies(JsonSerializer.Deserialize<List<PolicyCell>>(last.Cells, Json)!, refined))
            return new RefinementResult(false, $"{replaced}Nothing proposed: the refined policy assigns what the last proposal assigns.", last, refined);

        string? championVersion = championArm.GroupBy(e => e.PolicyVersion).MaxBy(g => g.Max(e => e.AssignedAt))?.Key;
        string reason = $"{replaced}{changed.Count} cell(s) switch from the champion's strategy: " + string.Join(" ", changed.Select(c => c.Reason));
        var proposal = new PolicyProposalRecord
        {
            ProposalId = Guid.NewGuid(), ChampionVersion = championVersion, Cells = JsonSerializer.Serialize(refined, Json), Episodes = closed.Count,
            DataThrough = now, Reason = reason, ProposedAt = now,
        };
        unitOfWork.Db.Proposals.Add(proposal);
        unitOfWork.Publish(new PolicyProposed(proposal.ProposalId, ProposedRole.Challenger, null, championVersion, refined, closed.Count, reason, now));
        LogProposed(proposal.ProposalId, changed.Count);
        return new RefinementResult(true, reason, proposal, refined);
    }, cancellationToken);

    /// <summary>Decides whether the running challenger becomes champion; stores the decision and, when promoted, publishes it.</summary>
    public Task<PolicyDecisionRecord> EvaluateAsync(CancellationToken cancellationToken) => unitOfWork.RunAsync(async ct =>
    {
        await unitOfWork.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('performance-policy-loop'))", ct);
        var now = clock.GetUtcNow();
        var comparison = await queries.CompareArmsAsync(now, ct);
        if (comparison is not null &&
            await unitOfWork.Db.Decisions.AsNoTracking().Where(d => d.Promoted && d.ChallengerVersion == comparison.ChallengerVersion).FirstOrDefaultAsync(ct) is { } done)
            return done;
        var verdict = PolicyEvaluation.Decide(comparison, options.Value.MinimumArmEpisodes, options.Value.PromotionMarginPoints);
        var difference = comparison?.NetRecoveryRatePoints;
        var decision = new PolicyDecisionRecord
        {
            DecisionId = Guid.NewGuid(), ChallengerVersion = comparison?.ChallengerVersion, ChampionVersion = comparison?.ChampionVersion,
            Promoted = verdict.Promoted, Reason = verdict.Reason, Since = comparison?.Since,
            ChallengerEpisodes = comparison?.ChallengerEpisodes ?? 0, ChampionEpisodes = comparison?.ChampionEpisodes ?? 0,
            ChallengerNetPerLoan = comparison?.Challenger.NetRecoveryPerLoan, ChampionNetPerLoan = comparison?.Champion.NetRecoveryPerLoan,
            ChallengerNetRate = comparison?.Challenger.NetRecoveryRate, ChampionNetRate = comparison?.Champion.NetRecoveryRate,
            Difference = Statistics.FiniteOrNull(difference?.Difference), DifferenceLow = Statistics.FiniteOrNull(difference?.Low), DifferenceHigh = Statistics.FiniteOrNull(difference?.High),
            PValue = Statistics.FiniteOrNull(difference?.PValue),
            DataThrough = now, DecidedAt = now,
        };
        unitOfWork.Db.Decisions.Add(decision);
        if (verdict.Promoted)
            unitOfWork.Publish(new PolicyProposed(decision.DecisionId, ProposedRole.Champion, comparison!.ChallengerVersion, comparison.ChampionVersion, [],
                comparison.ChallengerEpisodes + comparison.ChampionEpisodes, verdict.Reason, now));
        LogDecided(comparison?.ChallengerVersion, verdict.Promoted, verdict.Reason);
        return decision;
    }, cancellationToken);

    /// <summary>
    /// Why nothing may be proposed now (null: a proposal may be made) and, when the running challenger ran out its time
    /// undecided, the note that a new proposal replaces it.
    /// </summary>
    private async Task<(string? Hold, string Replaced)> HoldAsync(IReadOnlyList<ClosedEpisode> closed, PolicyProposalRecord? last, DateTimeOffset now,
        CancellationToken ct)
    {
        var o = options.Value;
        bool WithinBound(DateTimeOffset since) => o.ChallengerMaxRun <= TimeSpan.Zero || now - since < o.ChallengerMaxRun;
        var assignments = await queries.EpisodeAssignmentsAsync(now, ct);
        // A proposal no loan has been assigned under yet would be replaced before it was ever measured: refinement runs more
        // often than StrategyAssignment decides loans. It runs once a challenger version not assigned before it was made is.
        if (last is not null && !RunningSince(assignments, last.ProposedAt) && WithinBound(last.ProposedAt))
            return (string.Create(CultureInfo.InvariantCulture,
                $"Nothing proposed: the last proposal, made {last.ProposedAt:yyyy-MM-dd HH:mm:ss}Z, has not been assigned to a loan yet."), "");
        // A challenger runs until it is decided: a new proposal would replace it in StrategyAssignment before its arm has
        // the episodes a decision needs, and a loop that refines faster than episodes close would then never promote. The
        // decision must have been made, not merely be possible: refinement right after an evaluation can see the episodes
        // that closed in between, and replaced a challenger one episode short of its decision in a bench run.
        if (PolicyEvaluation.CompareArms(closed, assignments) is not { } running || await DecidedAsync(running, ct))
            return (null, "");
        int minimum = o.MinimumArmEpisodes;
        string episodes = $"{running.ChallengerEpisodes} challenger and {running.ChampionEpisodes} champion episodes closed in the cells where the policies differ";
        if (running.ChallengerEpisodes >= minimum && running.ChampionEpisodes >= minimum)
            return ($"Nothing proposed: challenger {running.ChallengerVersion} has the episodes for its decision ({episodes}), which has not been made yet.", "");
        // Still short of its episodes: it holds refinement back only so long. A challenger whose cells are rare could otherwise
        // keep every later refinement from using what was learned since for the rest of the portfolio's life.
        if (WithinBound(running.Since))
            return ($"Nothing proposed: challenger {running.ChallengerVersion} is still being measured ({episodes}; {minimum} each are needed for its decision).", "");
        return (null, $"Challenger {running.ChallengerVersion} was not decided within {Durations.Describe(o.ChallengerMaxRun)} ({episodes}; {minimum} each were needed), so a new proposal may replace it. ");
    }

    private static bool RunningSince(IReadOnlyList<(PolicyArm Arm, string Version, DateTimeOffset AssignedAt)> assignments, DateTimeOffset proposedAt)
    {
        var challengers = assignments.Where(a => a.Arm == PolicyArm.Challenger).ToList();
        var earlier = challengers.Where(a => a.AssignedAt < proposedAt).Select(a => a.Version).ToHashSet();
        return challengers.Any(a => a.AssignedAt >= proposedAt && !earlier.Contains(a.Version));
    }

    /// <summary>True once a stored decision about the challenger promoted it or was made on enough episodes of both arms.</summary>
    private Task<bool> DecidedAsync(ArmComparison running, CancellationToken ct)
    {
        int minimum = options.Value.MinimumArmEpisodes;
        return unitOfWork.Db.Decisions.AsNoTracking().AnyAsync(d => d.ChallengerVersion == running.ChallengerVersion &&
            (d.Promoted || (d.ChallengerEpisodes >= minimum && d.ChampionEpisodes >= minimum)), ct);
    }

    private static bool SameStrategies(IReadOnlyList<PolicyCell> a, IReadOnlyList<PolicyCell> b) =>
        a.Select(c => (c.Band, c.Segment, c.Stage, c.Strategy)).OrderBy(x => x.ToString())
            .SequenceEqual(b.Select(c => (c.Band, c.Segment, c.Stage, c.Strategy)).OrderBy(x => x.ToString()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Refined policy {ProposalId} proposed as challenger ({Changed} cells changed)")]
    private partial void LogProposed(Guid proposalId, int changed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Challenger {PolicyVersion}: promoted {Promoted}. {Reason}")]
    private partial void LogDecided(string? policyVersion, bool promoted, string reason);
}

/// <summary>Runs refinement then promotion every <c>PolicyLoopInterval</c> (off when zero).</summary>
public sealed partial class PolicyLoopService(IServiceScopeFactory scopes, IOptions<PerformanceTrackingOptions> options, TimeProvider clock,
    ILogger<PolicyLoopService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PolicyLoopInterval;
        if (interval <= TimeSpan.Zero)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var loop = scope.ServiceProvider.GetRequiredService<PolicyLoop>();
                await loop.EvaluateAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PolicyLoop>().RefineAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The policy loop failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
