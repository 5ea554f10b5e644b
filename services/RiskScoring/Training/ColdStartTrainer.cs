using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.RiskScoring.Training;

/// <summary>
/// Trains the first model when there is none: once enough outcomes have arrived (the lender's history from the
/// portfolio import) and none has arrived for a quiet period. The first model becomes champion whatever its
/// quality gate says, because scores must carry that verdict: a model that is no better than chance is marked
/// not usable and strategies fall back to their rules.
/// </summary>
public sealed partial class ColdStartTrainer(
    IServiceScopeFactory scopes,
    TrainingLock trainingLock,
    DatabaseReadiness readiness,
    TimeProvider clock,
    IOptions<RiskScoringOptions> options,
    ILogger<ColdStartTrainer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitUntilMigratedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryTrainAsync(stoppingToken))
                    return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogTrainingFailed(ex);
            }
            await Task.Delay(options.Value.TrainerPollInterval, clock, stoppingToken);
        }
    }

    /// <summary>Returns true once a champion exists (trained now or before).</summary>
    public async Task<bool> TryTrainAsync(CancellationToken cancellationToken)
    {
        await trainingLock.Gate.WaitAsync(cancellationToken);
        try
        {
            return await TryTrainLockedAsync(cancellationToken);
        }
        finally
        {
            trainingLock.Gate.Release();
        }
    }

    private async Task<bool> TryTrainLockedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork<RiskDbContext>>();
        var db = unitOfWork.Db;
        if (await db.Models.AnyAsync(m => m.IsChampion, cancellationToken))
            return true;
        var settings = options.Value;
        var outcomes = await db.TrainingExamples.CountAsync(cancellationToken);
        if (outcomes < settings.MinimumTrainingRows)
            return false;
        // An import arrives as a burst: wait for it to end so that the first model sees all of it. Live outcomes arrive as a
        // steady stream that may never pause that long (nor the payments that update the loans), so once the minimum of live
        // outcomes has waited ColdStartMaxWait the first model is trained anyway; an import is never cut short by it.
        var now = clock.GetUtcNow();
        var liveEnoughSince = await db.TrainingExamples.Where(e => !e.Historical).OrderBy(e => e.ReceivedAt)
            .Skip(settings.MinimumTrainingRows - 1).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        bool waitedLongEnough = liveEnoughSince is { } since && now - since >= settings.ColdStartMaxWait;
        var lastArrival = await db.TrainingExamples.MaxAsync(e => e.ReceivedAt, cancellationToken);
        if (now - lastArrival < settings.ColdStartQuietPeriod && !waitedLongEnough)
            return false;

        var data = await TrainingData.LoadAsync(db, cancellationToken);
        if (data.Examples.Count < settings.MinimumTrainingRows)
            return false; // outcomes whose loans have not arrived yet: wait for them
        // Outcomes without their loan mean LoanOpened events are still on their way (a backlog after an import): the
        // first model must not be trained on part of the portfolio while they keep arriving.
        if (data.WithoutFeatures > 0 && !waitedLongEnough &&
            await db.Loans.AnyAsync(l => l.UpdatedAt > clock.GetUtcNow() - settings.ColdStartQuietPeriod, cancellationToken))
            return false;
        var trained = RiskModelTrainer.Train(data.Examples, new TrainingSettings(settings.Trees, settings.MaxDepth, settings.LearningRate,
            settings.MinChildWeight, settings.HoldoutFraction, settings.CalibrationFraction, settings.MinimumTrainingRows, settings.Seed), cancellationToken);

        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        var version = await unitOfWork.RunAsync(async ct =>
        {
            var registered = await registry.RegisterAsync(trained, data.From, data.To, ct);
            const string reason = "Cold start: the first model, trained on the recorded outcomes; champion whatever its gate says, so that every score carries the verdict";
            db.Decisions.Add(new PromotionDecisionRecord
            {
                DecisionId = Guid.NewGuid(), ChallengerVersion = registered, Trigger = "cold start", DecidedAt = clock.GetUtcNow(), Cutoff = data.To,
                TrainingRows = data.Examples.Count, HoldoutRows = trained.Holdout.Rows, ChallengerAuc = trained.Holdout.Auc,
                ChallengerAucLow = trained.Holdout.AucLow, ChallengerAucHigh = trained.Holdout.AucHigh, Promoted = true, Reason = reason,
            });
            await registry.PromoteAsync(registered, reason, ct);
            return registered;
        }, cancellationToken);

        if (trained.Verdict.Usable)
            LogUsable(version, data.Examples.Count, trained.Holdout.Auc, trained.Holdout.AucLow, trained.Holdout.AucHigh);
        else
            LogNotUsable(version, data.Examples.Count, trained.Verdict.Reason);
        if (data.WithoutFeatures > 0)
            LogWithoutFeatures(data.WithoutFeatures);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cold-start model {ModelVersion} trained on {Rows} outcomes is usable: holdout AUC {Auc:0.000} (95% CI {AucLow:0.000}–{AucHigh:0.000})")]
    private partial void LogUsable(string modelVersion, int rows, double auc, double aucLow, double aucHigh);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cold-start model {ModelVersion} trained on {Rows} outcomes is NOT usable: {GateReason}. Scores are marked not usable and strategies fall back to their rules")]
    private partial void LogNotUsable(string modelVersion, int rows, string gateReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outcomes were left out of training: their loans are not known to RiskScoring")]
    private partial void LogWithoutFeatures(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cold-start training failed; retrying")]
    private partial void LogTrainingFailed(Exception exception);
}
