using LoanRecovery.ServiceDefaults.Security;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.PerformanceTracking.Endpoints;

public sealed record RecoveryView(string By, int Episodes, IReadOnlyList<GroupFigures> Groups);

public sealed record CostView(string Key, int Episodes, decimal ContactCost, decimal AmountRecovered, double? CostToCollect, decimal ContactCostPerLoan);

public sealed record EffectivenessView(string Note, IReadOnlyList<BandEffectiveness> Bands);

public sealed record SuggestionsView(int MinimumGroupSize, IReadOnlyList<Suggestion> Suggestions);

public sealed record PoliciesView(IReadOnlyList<ProposalView> Proposals, IReadOnlyList<PolicyDecisionRecord> Decisions);

public sealed record ProposalView(Guid ProposalId, long Sequence, string? ChampionVersion, int Episodes, DateTimeOffset DataThrough, string Reason,
    DateTimeOffset ProposedAt, IReadOnlyList<PolicyCell> Cells);

public static class PerformanceEndpoints
{
    public static WebApplication MapPerformanceTrackingEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/performance").WithTags("PerformanceTracking").RequireAuthorization(ServiceRoles.Staff);
        api.MapGet("/episodes", EpisodesAsync).WithSummary("Recovery episodes, newest first; filter by loan and open/closed");
        api.MapGet("/recovery", RecoveryAsync).WithSummary("Recovery rate (Wilson 95% CI), amounts, cost to collect and net recovery per loan, grouped by strategy, segment, band, model, arm, policy or month");
        api.MapGet("/cost-to-collect", CostAsync).WithSummary("Contact cost per currency unit recovered, by strategy");
        api.MapGet("/roll-rates", RollRatesAsync).WithSummary("Roll rates between days-past-due buckets at consecutive payments");
        api.MapGet("/effectiveness", EffectivenessAsync).WithSummary("Strategy effectiveness per risk band with 95% CIs and pairwise differences");
        api.MapGet("/champion-challenger", ChampionChallengerAsync).WithSummary("Challenger against champion policy over the same period, with significance tests");
        api.MapGet("/suggestions", SuggestionsAsync).WithSummary("Plain-language suggestions where a 95% interval excludes zero");
        api.MapGet("/drift", DriftAsync).WithSummary("PSI of the score and of each feature, last period against the current model's first scored loans");
        api.MapGet("/policies", PoliciesAsync).WithSummary("Every refined policy proposed and every promotion decision, with their figures");
        api.MapPost("/policies/refine", RefineAsync).WithSummary("Build the refined policy from randomised outcomes and publish it as challenger").RequireAuthorization(ServiceRoles.Analyst);
        api.MapPost("/policies/evaluate", EvaluateAsync).WithSummary("Decide whether the running challenger policy becomes champion").RequireAuthorization(ServiceRoles.Analyst);
        return app;
    }

    private static async Task<Ok<List<EpisodeRecord>>> EpisodesAsync(PerformanceDbContext db, string? loanId, bool? open, int? limit, CancellationToken ct)
    {
        var query = db.Episodes.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(loanId)) query = query.Where(e => e.LoanId == loanId);
        if (open is true) query = query.Where(e => e.ClosedAt == null);
        if (open is false) query = query.Where(e => e.ClosedAt != null);
        return TypedResults.Ok(await query.OrderByDescending(e => e.AssignedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct));
    }

    private static async Task<Results<Ok<RecoveryView>, ValidationProblem>> RecoveryAsync(PerformanceQueries queries, string? by, CancellationToken ct)
    {
        if (!Enum.TryParse<GroupBy>(by ?? nameof(GroupBy.Strategy), ignoreCase: true, out var groupBy) || int.TryParse(by, out _))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["by"] = [$"'{by}' is not one of {string.Join(", ", Enum.GetNames<GroupBy>().Select(n => n.ToLowerInvariant()))}"],
            });
        var closed = await queries.ClosedEpisodesAsync(null, ct);
        return TypedResults.Ok(new RecoveryView(groupBy.ToString().ToLowerInvariant(), closed.Count, RecoveryFigures.By(groupBy, closed)));
    }

    private static async Task<Ok<List<CostView>>> CostAsync(PerformanceQueries queries, CancellationToken ct)
    {
        var closed = await queries.ClosedEpisodesAsync(null, ct);
        var rows = closed.GroupBy(e => e.Strategy.ToString()).OrderBy(g => g.Key).Select(g => g.ToList()).Prepend(closed.ToList())
            .Select((g, i) =>
            {
                decimal cost = g.Sum(e => e.ContactCost), recovered = g.Sum(e => e.AmountRecovered);
                return new CostView(i == 0 ? "all" : g[0].Strategy.ToString(), g.Count, cost, recovered, recovered > 0 ? (double)(cost / recovered) : null,
                    g.Count > 0 ? Money.Round(cost / g.Count) : 0m);
            }).ToList();
        return TypedResults.Ok(rows);
    }

    private static async Task<Ok<IReadOnlyList<RollRateRow>>> RollRatesAsync(PerformanceQueries queries, IOptions<PerformanceTrackingOptions> options, CancellationToken ct) =>
        TypedResults.Ok(RollRates.Compute(await queries.DelinquencyAsync(ct), options.Value.DaysPastDueBuckets));

    private static async Task<Ok<EffectivenessView>> EffectivenessAsync(PerformanceQueries queries, IOptions<PerformanceTrackingOptions> options, CancellationToken ct)
    {
        var closed = await queries.ClosedEpisodesAsync(null, ct);
        return TypedResults.Ok(new EffectivenessView(
            "Recovery rate = share fully recovered (Wilson 95% CI); differences in points with Newcombe's hybrid score 95% CI and a pooled two-proportion z-test; net recovery per loan differences with Welch's t.",
            Effectiveness.ByBand(closed, new BandLabels(options.Value.MediumFrom, options.Value.HighAbove))));
    }

    private static async Task<IResult> ChampionChallengerAsync(PerformanceQueries queries, CancellationToken ct) =>
        await queries.CompareArmsAsync(null, ct) is { } comparison
            ? TypedResults.Ok(comparison)
            : TypedResults.Ok(new { statement = "No challenger policy has run yet." });

    private static async Task<Ok<SuggestionsView>> SuggestionsAsync(PerformanceQueries queries, IOptions<PerformanceTrackingOptions> options, CancellationToken ct)
    {
        var closed = await queries.ClosedEpisodesAsync(null, ct);
        var bands = Effectiveness.ByBand(closed, new BandLabels(options.Value.MediumFrom, options.Value.HighAbove));
        var arms = await queries.CompareArmsAsync(null, ct);
        return TypedResults.Ok(new SuggestionsView(options.Value.MinimumGroupSize, Suggestions.From(bands, arms, options.Value.MinimumGroupSize)));
    }

    private static async Task<Ok<DriftReport>> DriftAsync(PerformanceQueries queries, DriftMonitor monitor, CancellationToken ct)
    {
        var report = await queries.DriftAsync(ct);
        monitor.Update(report);
        return TypedResults.Ok(report);
    }

    private static async Task<Ok<PoliciesView>> PoliciesAsync(PerformanceDbContext db, CancellationToken ct)
    {
        var proposals = await db.Proposals.AsNoTracking().OrderByDescending(p => p.Sequence).ToListAsync(ct);
        var decisions = await db.Decisions.AsNoTracking().OrderByDescending(d => d.Sequence).ToListAsync(ct);
        return TypedResults.Ok(new PoliciesView(
            proposals.Select(p => new ProposalView(p.ProposalId, p.Sequence, p.ChampionVersion, p.Episodes, p.DataThrough, p.Reason, p.ProposedAt,
                JsonSerializer.Deserialize<List<PolicyCell>>(p.Cells, PolicyLoop.Json)!)).ToList(),
            decisions));
    }

    private static async Task<Ok<RefinementResult>> RefineAsync(PolicyLoop loop, CancellationToken ct) => TypedResults.Ok(await loop.RefineAsync(ct));

    private static async Task<Ok<PolicyDecisionRecord>> EvaluateAsync(PolicyLoop loop, CancellationToken ct) => TypedResults.Ok(await loop.EvaluateAsync(ct));
}
