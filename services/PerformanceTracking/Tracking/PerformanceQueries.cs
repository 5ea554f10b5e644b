using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;
using LoanRecovery.PerformanceTracking.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.PerformanceTracking.Tracking;

/// <summary>Reads the service's tables into the inputs of the pure statistics; nothing here is cached.</summary>
public sealed class PerformanceQueries(PerformanceDbContext db, IOptions<PerformanceTrackingOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<ClosedEpisode>> ClosedEpisodesAsync(DateTimeOffset? through, CancellationToken ct)
    {
        var query = db.Episodes.AsNoTracking().Where(e => e.ClosedAt != null);
        if (through is { } t)
            query = query.Where(e => e.ClosedAt <= t);
        // Whether the fallback rules decided the episode is its opening assignment's.
        var rows = await (from e in query
                          join a in db.Assignments on e.AssignmentId equals a.AssignmentId into opening
                          from a in opening.DefaultIfEmpty()
                          orderby e.ClosedAt, e.EpisodeId
                          select new { Episode = e, RuleBased = a != null && a.RuleBased }).ToListAsync(ct);
        return rows.Select(r => Closed(r.Episode, r.RuleBased)).ToList();
    }

    private static ClosedEpisode Closed(EpisodeRecord e, bool ruleBased) =>
        new(e.EpisodeId, e.LoanId, e.Strategy, e.Arm, e.PolicyVersion, e.ModelVersion, e.Band!.Value, e.Segment, e.Status!.Value, e.OpeningBalance,
            e.AmountRecovered ?? 0m, e.ContactCost ?? 0m, e.DaysToRecover ?? 0, e.AssignedAt, e.ClosedAt!.Value, e.Stage, ruleBased);

    /// <summary>Arm, policy version and time of the assignment that opened every episode (open or closed).</summary>
    public async Task<IReadOnlyList<(PolicyArm Arm, string Version, DateTimeOffset AssignedAt)>> EpisodeAssignmentsAsync(DateTimeOffset? through, CancellationToken ct)
    {
        var query = db.Episodes.AsNoTracking();
        if (through is { } t)
            query = query.Where(e => e.AssignedAt <= t);
        var rows = await query.Select(e => new { e.Arm, e.PolicyVersion, e.AssignedAt }).ToListAsync(ct);
        return rows.Select(r => (r.Arm, r.PolicyVersion, r.AssignedAt)).ToList();
    }

    public async Task<ArmComparison?> CompareArmsAsync(DateTimeOffset? through, CancellationToken ct) =>
        PolicyEvaluation.CompareArms(await ClosedEpisodesAsync(through, ct), await EpisodeAssignmentsAsync(through, ct));

    public async Task<IReadOnlyList<DelinquencyPoint>> DelinquencyAsync(CancellationToken ct) =>
        await db.Payments.AsNoTracking().Select(p => new DelinquencyPoint(p.LoanId, p.DueDate, p.RecordedAt, p.DaysPastDue)).ToListAsync(ct);

    /// <summary>
    /// Drift of the current model (the model of the most recent score): reference = its first <c>DriftReferenceSize</c> scored loans
    /// (in scoring order), current = the loans scored in the last <c>DriftWindow</c> up to now, excluding the reference ones.
    /// </summary>
    public async Task<DriftReport> DriftAsync(CancellationToken ct)
    {
        var o = options.Value;
        var model = await db.Scores.AsNoTracking().OrderByDescending(s => s.ScoredAt).ThenByDescending(s => s.ScoreId).Select(s => s.ModelVersion).FirstOrDefaultAsync(ct);
        if (model is null)
            return new DriftReport(null, 0, 0, false, "Not computed: no scored loan yet.", false, []);
        var reference = await db.Scores.AsNoTracking().Where(s => s.ModelVersion == model).OrderBy(s => s.ScoredAt).ThenBy(s => s.ScoreId)
            .Take(o.DriftReferenceSize).Select(s => new { s.ScoreId, s.Probability, s.Features }).ToListAsync(ct);
        var referenceIds = reference.Select(r => r.ScoreId).ToHashSet();
        var now = clock.GetUtcNow();
        var since = now - o.DriftWindow;
        var current = (await db.Scores.AsNoTracking().Where(s => s.ScoredAt > since && s.ScoredAt <= now)
            .Select(s => new { s.ScoreId, s.Probability, s.Features }).ToListAsync(ct)).Where(s => !referenceIds.Contains(s.ScoreId)).ToList();
        return Drift.Compute(model,
            reference.Select(r => new ScoredPoint(r.Probability, Features(r.Features))).ToList(),
            current.Select(r => new ScoredPoint(r.Probability, Features(r.Features))).ToList(),
            o.DriftFlagAbove, o.DriftBins, o.DriftMinimumSample);
    }

    private static IReadOnlyDictionary<string, double?> Features(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double?>>(json) ?? [];
}
