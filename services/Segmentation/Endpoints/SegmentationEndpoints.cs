using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Segmentation.Endpoints;

/// <summary>One segment of the current model, with its observed recovery.</summary>
/// <param name="SegmentId">Segment number within the model (1 = lowest-income centroid).</param>
/// <param name="Label">Name in a collections team's words.</param>
/// <param name="Size">Borrowers currently in the segment.</param>
/// <param name="Centroid">Centroid in original units, by feature name.</param>
/// <param name="NotFullyRecoveredShare">Share of the segment's loans with a recorded outcome that were not fully recovered; null without outcomes.</param>
/// <param name="Outcomes">Loans with a recorded outcome the share is based on (latest outcome per loan, historical or observed).</param>
/// <param name="HistoricalOutcomes">How many of those outcomes come from the lender's history.</param>
public sealed record SegmentProfile(int SegmentId, string Label, int Size, IReadOnlyDictionary<string, double> Centroid,
    double? NotFullyRecoveredShare, int Outcomes, int HistoricalOutcomes);

public sealed record SegmentsResponse(string ModelVersion, int K, double? Silhouette, double Inertia, DateTimeOffset FittedAt,
    int FittedOn, int Borrowers, IReadOnlyList<string> Features, IReadOnlyList<SegmentProfile> Segments);

public sealed record BorrowerSegmentResponse(string BorrowerId, int? SegmentId, string? SegmentLabel, string? ModelVersion,
    DateTimeOffset? AssignedAt, int Loans, IReadOnlyDictionary<string, double> Features);

public sealed record RefitResponse(FitStatus Status, string? ModelVersion, string? PreviousVersion, int? K, double? Silhouette,
    int Borrowers, int Published, IReadOnlyList<KTried> Tried);

public static class SegmentationEndpoints
{
    public static WebApplication MapSegmentationEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/segments").WithTags("Segmentation").RequireAuthorization(ServiceRoles.Staff);
        api.MapGet("", GetSegmentsAsync).WithSummary("Segments of the current model: size, centroid, name and observed share not fully recovered");
        api.MapGet("/borrowers/{borrowerId}", GetBorrowerAsync).WithSummary("A borrower's segment and features");
        api.MapPost("/refit", RefitAsync)
            .Accepts<RefitRequest>("application/json")
            .WithSummary("Refit the current portfolio (optional body { \"k\": 5 } or { \"kRange\": \"2..8\" }) and re-assign borrowers")
            .RequireAuthorization(ServiceRoles.Analyst);
        return app;
    }

    private sealed record OutcomeRow(int SegmentId, int Outcomes, int NotFullyRecovered, int Historical);

    private static async Task<Results<Ok<SegmentsResponse>, ProblemHttpResult>> GetSegmentsAsync(
        SegmentationDbContext db, SegmentationEngine engine, IOptions<SegmentationOptions> options, CancellationToken cancellationToken)
    {
        var model = await db.SegmentModels.AsNoTracking().SingleOrDefaultAsync(m => m.IsCurrent, cancellationToken);
        if (model is null)
        {
            var (_, borrowers, _) = await engine.FitReadinessAsync(cancellationToken);
            return TypedResults.Problem(statusCode: 404, title: "No segmentation model yet",
                detail: $"{borrowers} borrowers are known; the first model is fitted once at least {options.Value.MinBorrowersToFit} are " +
                        $"and no new loan has arrived for {options.Value.QuietPeriod.TotalSeconds:0.###} s, or on POST /api/segments/refit.");
        }
        var sizes = await db.SegmentAssignments.AsNoTracking()
            .Where(a => a.ModelVersion == model.Version)
            .GroupBy(a => a.SegmentId)
            .Select(g => new { SegmentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SegmentId, x => x.Count, cancellationToken);
        var outcomes = (await db.Database.SqlQuery<OutcomeRow>(
                $"""
                 SELECT a.segment_id AS "SegmentId", count(*)::int AS "Outcomes",
                        (count(*) FILTER (WHERE o.status <> 'FullyRecovered'))::int AS "NotFullyRecovered",
                        (count(*) FILTER (WHERE o.historical))::int AS "Historical"
                 FROM (SELECT DISTINCT ON (loan_id) loan_id, borrower_id, status, historical
                       FROM recovery_outcome ORDER BY loan_id, recorded_at DESC, outcome_id) o
                 JOIN segment_assignment a ON a.borrower_id = o.borrower_id
                 WHERE a.model_version = {model.Version}
                 GROUP BY a.segment_id
                 """).ToListAsync(cancellationToken))
            .ToDictionary(o => o.SegmentId);
        var centroids = model.CentroidRows();
        var segments = Enumerable.Range(1, model.K).Select(id =>
        {
            var outcome = outcomes.GetValueOrDefault(id);
            return new SegmentProfile(id, model.Labels[id - 1], sizes.GetValueOrDefault(id), Named(model.FeatureNames, centroids[id - 1]),
                outcome is { Outcomes: > 0 } ? (double)outcome.NotFullyRecovered / outcome.Outcomes : null,
                outcome?.Outcomes ?? 0, outcome?.Historical ?? 0);
        }).ToArray();
        return TypedResults.Ok(new SegmentsResponse(model.Version, model.K, model.Silhouette, model.Inertia, model.FittedAt, model.RowCount,
            segments.Sum(s => s.Size), model.FeatureNames, segments));
    }

    private static async Task<Results<Ok<BorrowerSegmentResponse>, NotFound>> GetBorrowerAsync(
        string borrowerId, SegmentationDbContext db, SegmentationEngine engine, CancellationToken cancellationToken)
    {
        if (await engine.FeaturesOfAsync(borrowerId, cancellationToken) is not var (features, loans))
            return TypedResults.NotFound();
        var assignment = await db.SegmentAssignments.AsNoTracking().SingleOrDefaultAsync(a => a.BorrowerId == borrowerId, cancellationToken);
        return TypedResults.Ok(new BorrowerSegmentResponse(borrowerId, assignment?.SegmentId, assignment?.SegmentLabel, assignment?.ModelVersion,
            assignment?.AssignedAt, loans, Named(BorrowerFeatures.Names, features.ToVector())));
    }

    private static async Task<Results<Ok<RefitResponse>, ValidationProblem, ProblemHttpResult>> RefitAsync(
        HttpRequest request, UnitOfWork<SegmentationDbContext> unitOfWork, SegmentationEngine engine, IOptions<SegmentationOptions> options,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var (k, range, errors) = RefitRequestParser.Parse(await reader.ReadToEndAsync(cancellationToken));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The refit request is not valid");

        var outcome = await unitOfWork.RunAsync(ct => engine.FitAsync(options.Value.FitSettings(k, range), onlyWhenNoModel: false, ct), cancellationToken);
        if (outcome.Status == FitStatus.NotEnoughBorrowers)
            return TypedResults.Problem(statusCode: 409, title: "Not enough borrowers to fit",
                detail: $"{outcome.Borrowers} borrowers are known; this fit needs at least {outcome.Needed}.");
        return TypedResults.Ok(new RefitResponse(outcome.Status, outcome.ModelVersion, outcome.PreviousVersion, outcome.K, outcome.Silhouette,
            outcome.Borrowers, outcome.Published, outcome.Tried));
    }

    private static Dictionary<string, double> Named(IReadOnlyList<string> names, double[] values) =>
        names.Select((name, i) => (name, value: values[i])).ToDictionary(x => x.name, x => x.value, StringComparer.Ordinal);
}
