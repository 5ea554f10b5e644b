using LoanRecovery.ServiceDefaults.Security;
using System.Security.Claims;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.RiskScoring.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Endpoints;

public sealed record ModelSummary(string Version, DateTimeOffset TrainedAt, int TrainingRows, double Auc, double AucLow, double AucHigh,
    bool Usable, string GateReason, bool IsChampion, DateTimeOffset? PromotedAt, string Statement, PromotionDecisionView? Decision,
    DateTimeOffset? WithdrawnAt = null, string? WithdrawnReason = null);

/// <summary>Why a model was or was not made champion, with the out-of-time figures (in-time for the cold start).</summary>
public sealed record PromotionDecisionView(string Trigger, DateTimeOffset DecidedAt, bool Promoted, string Reason, string? ComparedWith,
    DateTimeOffset Cutoff, int TrainingRows, string TrainingOutcomes, int HoldoutRows, double ChallengerAuc, double ChallengerAucLow, double ChallengerAucHigh, double? ChampionAuc,
    double? Difference, double? DifferenceLow, double? DifferenceHigh, string Actor);

public sealed record ModelDetail(ModelSummary Summary, string Kind, DateTimeOffset WindowFrom, DateTimeOffset WindowTo, double PositiveRate,
    JsonElement FeatureSchema, JsonElement Metrics, JsonElement Calibration, JsonElement GlobalImportance);

public sealed record ScoreCountByModel(string ModelVersion, bool ModelUsable, int Scores);

public sealed record ScoreCounts(int Scores, int Loans, IReadOnlyList<ScoreCountByModel> ByModel);

public sealed record ScoreView(Guid ScoreId, string PaymentId, double Probability, string Band, JsonElement Reasons, JsonElement Features,
    string ModelVersion, bool ModelUsable, int? SegmentId, string? SegmentLabel, DateTimeOffset ScoredAt);

/// <summary>What a risk analyst enters on the what-if form. Nullable so a missing field is named, not read as zero.</summary>
public sealed record WhatIfRequest(int? Age, string? EmploymentType, decimal? MonthlyIncome, int? NumDependents, decimal? LoanAmount,
    int? LoanTenureMonths, decimal? InterestRate, string? LoanType, decimal? CollateralValue, decimal? OutstandingLoanAmount,
    decimal? MonthlyEmi, string? PaymentHistory, int? MissedPayments, int? DaysPastDue);

public sealed record WhatIfResponse(double Probability, RiskBand Band, IReadOnlyList<ReasonCode> Reasons, string ModelVersion, bool ModelUsable,
    string GateReason, StrategyPreviewResult Strategy);

public static class RiskEndpoints
{
    public static WebApplication MapRiskScoringEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("RiskScoring").RequireAuthorization(ServiceRoles.Staff);
        api.MapGet("/models", ListModelsAsync).WithSummary("Every trained model with its holdout evidence; the champion marked");
        api.MapPost("/models/retrain", RetrainAsync).WithSummary("Train a challenger now and promote it only if its scores would count and it beats the champion out of time, or the champion's no longer do").RequireAuthorization(ServiceRoles.Analyst);
        api.MapGet("/models/{version}", GetModelAsync).WithSummary("One model: feature schema, metrics with CI, calibration table, global importance");
        api.MapGet("/scores", GetScoreCountsAsync).WithSummary("How many scores were made, for how many loans, by model version");
        api.MapGet("/scores/{loanId}", GetScoresAsync).WithSummary("A loan's score history with reasons and model versions");
        api.MapPost("/scores/what-if", WhatIfAsync).WithSummary("Score entered details without storing or publishing anything").RequireAuthorization(ServiceRoles.Analyst);
        return app;
    }

    private static ModelSummary Summary(RiskModelRecord m, PromotionDecisionRecord? d)
    {
        var metrics = JsonSerializer.Deserialize<HoldoutMetrics>(m.Metrics, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var statement = m.UsableNow
            ? m.GateReason
            : $"{m.WithdrawnReason ?? m.GateReason} Scores from it are marked not usable and strategies fall back to their rules.";
        return new ModelSummary(m.Version, m.TrainedAt, m.TrainingRows, metrics.Auc, metrics.AucLow, metrics.AucHigh, m.UsableNow, m.GateReason,
            m.IsChampion, m.PromotedAt, statement, d is null ? null : new PromotionDecisionView(d.Trigger, d.DecidedAt, d.Promoted, d.Reason,
                d.ChampionVersion, d.Cutoff, d.TrainingRows, d.TrainingOutcomes, d.HoldoutRows, d.ChallengerAuc, d.ChallengerAucLow, d.ChallengerAucHigh, d.ChampionAuc, d.Difference,
                d.DifferenceLow, d.DifferenceHigh, d.Actor), m.WithdrawnAt, m.WithdrawnReason);
    }

    private static async Task<Ok<List<ModelSummary>>> ListModelsAsync(RiskDbContext db, CancellationToken cancellationToken)
    {
        var models = await db.Models.AsNoTracking().OrderByDescending(m => m.Sequence).ToListAsync(cancellationToken);
        var decisions = await db.Decisions.AsNoTracking().ToDictionaryAsync(d => d.ChallengerVersion, cancellationToken);
        return TypedResults.Ok(models.Select(m => Summary(m, decisions.GetValueOrDefault(m.Version))).ToList());
    }

    private static async Task<Results<Ok<ModelDetail>, NotFound>> GetModelAsync(string version, RiskDbContext db, CancellationToken cancellationToken)
    {
        var m = await db.Models.AsNoTracking().SingleOrDefaultAsync(x => x.Version == version, cancellationToken);
        if (m is null)
            return TypedResults.NotFound();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ChallengerVersion == version, cancellationToken);
        return TypedResults.Ok(new ModelDetail(Summary(m, decision), m.Kind, m.WindowFrom, m.WindowTo, m.PositiveRate,
            Parse(m.FeatureSchema), Parse(m.Metrics), Parse(m.Reliability), Parse(m.GlobalImportance)));
    }

    private static async Task<Ok<ScoreCounts>> GetScoreCountsAsync(RiskDbContext db, CancellationToken cancellationToken)
    {
        var byModel = await db.Scores.AsNoTracking()
            .GroupBy(s => new { s.ModelVersion, s.ModelUsable })
            .Select(g => new ScoreCountByModel(g.Key.ModelVersion, g.Key.ModelUsable, g.Count()))
            .ToListAsync(cancellationToken);
        var loans = await db.Scores.AsNoTracking().Select(s => s.LoanId).Distinct().CountAsync(cancellationToken);
        return TypedResults.Ok(new ScoreCounts(byModel.Sum(m => m.Scores), loans, byModel.OrderBy(m => m.ModelVersion, StringComparer.Ordinal).ToList()));
    }

    private static async Task<Results<Ok<List<ScoreView>>, NotFound>> GetScoresAsync(string loanId, RiskDbContext db, CancellationToken cancellationToken)
    {
        var scores = await db.Scores.AsNoTracking().Where(s => s.LoanId == loanId).OrderBy(s => s.ScoredAt).ToListAsync(cancellationToken);
        if (scores.Count == 0 && !await db.Loans.AnyAsync(l => l.LoanId == loanId, cancellationToken))
            return TypedResults.NotFound();
        return TypedResults.Ok(scores.Select(s => new ScoreView(s.ScoreId, s.PaymentId, s.Probability, s.Band, Parse(s.Reasons), Parse(s.Features),
            s.ModelVersion, s.ModelUsable, s.SegmentId, s.SegmentLabel, s.ScoredAt)).ToList());
    }

    private static async Task<Results<Ok<WhatIfResponse>, ValidationProblem, ProblemHttpResult>> WhatIfAsync(
        WhatIfRequest request, ModelRegistry registry, RiskScorer scorer, RiskDbContext db, CancellationToken cancellationToken)
    {
        var errors = WhatIfValidation.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The details are not valid");
        var champion = await registry.ChampionAsync(cancellationToken);
        if (champion is null)
            return TypedResults.Problem(statusCode: 503, title: "No model yet",
                detail: "No risk model has been trained yet: import a portfolio with recorded outcomes first.");
        var facts = new LoanFacts(request.Age, request.EmploymentType, request.MonthlyIncome, request.NumDependents, request.LoanAmount,
            request.LoanTenureMonths, request.InterestRate, request.LoanType, request.CollateralValue, request.OutstandingLoanAmount,
            request.MonthlyEmi, request.PaymentHistory, request.MissedPayments, request.DaysPastDue);
        var assessment = scorer.Score(champion, facts.ToFeatures());
        var gateReason = await db.Models.AsNoTracking().Where(m => m.Version == champion.Version).Select(m => m.WithdrawnReason ?? m.GateReason).SingleAsync(cancellationToken);
        return TypedResults.Ok(new WhatIfResponse(assessment.Probability, assessment.Band, assessment.Reasons, champion.Version, champion.Usable,
            gateReason, StrategyPreview.For(assessment.Band, champion.Usable, request.DaysPastDue ?? 0, request.MissedPayments ?? 0)));
    }

    private static async Task<Results<Ok<RetrainingResult>, ProblemHttpResult>> RetrainAsync(ModelRetrainer retrainer, RiskDbContext db,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await db.Models.AnyAsync(m => m.IsChampion, cancellationToken))
            return TypedResults.Problem(statusCode: 409, title: "No champion yet",
                detail: "The first model is trained by the cold start once outcomes have arrived; retraining compares a challenger with it.");
        try
        {
            // The signed-in analyst when the request is authenticated; otherwise the decision says it came over the API.
            return TypedResults.Ok(await retrainer.RetrainAsync("requested", user.Identity?.Name ?? "api", cancellationToken));
        }
        catch (InsufficientTrainingDataException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Not enough outcomes to retrain", detail: ex.Message);
        }
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
