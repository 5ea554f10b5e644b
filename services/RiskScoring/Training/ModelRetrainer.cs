using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.RiskScoring.Training;

public sealed record RetrainingResult(string ChallengerVersion, string? ChampionVersion, bool Promoted, string Reason, DateTimeOffset Cutoff,
    int TrainingRows, TrainingOutcomes TrainingOutcomes, int HoldoutRows, double ChallengerAuc, double ChallengerAucLow, double ChallengerAucHigh, double? ChampionAuc,
    double? Difference, double? DifferenceLow, double? DifferenceHigh)
{
    /// <summary>Why the champion was withdrawn by this retraining (its scores no longer count); null when it was not.</summary>
    public string? ChampionWithdrawn { get; init; }
}

/// <summary>
/// Trains a challenger on the outcomes recorded up to a cut-off, compares it with the champion on the outcomes
/// recorded after it (out-of-time), stores the challenger and the decision either way, and promotes it when
/// <see cref="PromotionPolicy"/> says so. Scoring goes on meanwhile: it reads the champion per event.
/// </summary>
public sealed partial class ModelRetrainer(
    UnitOfWork<RiskDbContext> unitOfWork,
    ModelRegistry registry,
    TrainingLock trainingLock,
    TimeProvider clock,
    IOptions<RiskScoringOptions> options,
    ILogger<ModelRetrainer> logger)
{
    /// <summary>Who decides when the service retrains by itself.</summary>
    public const string SystemActor = "risk-scoring";

    /// <param name="trigger">Why the retraining runs, in words.</param>
    /// <param name="actor">Who asked for it, recorded with the decision: <see cref="SystemActor"/> or the analyst.</param>
    /// <param name="cancellationToken">Stops the training.</param>
    public async Task<RetrainingResult> RetrainAsync(string trigger, string actor, CancellationToken cancellationToken)
    {
        await trainingLock.Gate.WaitAsync(cancellationToken);
        try
        {
            return await RetrainLockedAsync(trigger, actor, cancellationToken);
        }
        finally
        {
            trainingLock.Gate.Release();
        }
    }

    private async Task<RetrainingResult> RetrainLockedAsync(string trigger, string actor, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var data = await TrainingData.LoadAsync(unitOfWork.Db, cancellationToken);
        var champion = await registry.ChampionAsync(cancellationToken);
        // The champion must be judged on outcomes it never saw, and a challenger learns the live label once there are
        // enough live outcomes to learn it from (OutOfTimeSplitter says why).
        var championWindowEnd = champion is null ? DateTimeOffset.MinValue
            : await unitOfWork.Db.Models.AsNoTracking().Where(m => m.Version == champion.Version).Select(m => m.WindowTo).SingleAsync(cancellationToken);
        var split = OutOfTimeSplitter.Choose(data.Historical, data.RecordedAt, championWindowEnd, settings.OutOfTimeFraction,
            Math.Max(settings.MinimumLiveTrainingRows, settings.MinimumTrainingRows));
        var train = split.Train.Select(i => data.Examples[i]).ToList();
        var recent = split.Holdout.Select(i => data.Examples[i]).ToList();
        var recentPositives = recent.Count(e => e.NotFullyRecovered);
        if (recent.Count == 0 || recentPositives == 0 || recentPositives == recent.Count)
            throw new InsufficientTrainingDataException(
                $"{recent.Count} outcomes recorded after the champion's training window (the out-of-time holdout); both recovered and unrecovered loans are needed.");
        if (train.Count < settings.MinimumTrainingRows)
            throw new InsufficientTrainingDataException($"{train.Count} outcomes before the out-of-time holdout; at least {settings.MinimumTrainingRows} are needed to train.");

        var trained = RiskModelTrainer.Train(train, new TrainingSettings(settings.Trees, settings.MaxDepth, settings.LearningRate,
            settings.MinChildWeight, settings.HoldoutFraction, settings.CalibrationFraction, settings.MinimumTrainingRows, settings.Seed), cancellationToken);
        var holdout = RiskModelTrainer.ToDataset(recent);
        var labels = recent.Select(e => e.NotFullyRecovered ? 1 : 0).ToArray();
        var verdict = PromotionPolicy.Decide(trained.Model.PredictCalibrated(holdout), trained.Verdict, champion?.Model.PredictCalibrated(holdout),
            championUsable: champion?.Usable ?? false, labels, settings.PromotionMargin, settings.BootstrapResamples, settings.Seed);
        var windowFrom = data.RecordedAt[split.Train[0]];
        var cutoff = data.RecordedAt[split.Train[^1]];

        var result = await unitOfWork.RunAsync(async ct =>
        {
            string? withdrawn = null;
            var version = await registry.RegisterAsync(trained, windowFrom, cutoff, ct);
            unitOfWork.Db.Decisions.Add(new PromotionDecisionRecord
            {
                DecisionId = Guid.NewGuid(), ChallengerVersion = version, ChampionVersion = champion?.Version, Trigger = trigger,
                DecidedAt = clock.GetUtcNow(), Cutoff = cutoff, TrainingRows = train.Count, TrainingOutcomes = split.Outcomes.ToString(), HoldoutRows = recent.Count,
                ChallengerAuc = verdict.Challenger.Value, ChallengerAucLow = verdict.Challenger.Low, ChallengerAucHigh = verdict.Challenger.High,
                ChampionAuc = verdict.Champion?.Value, Difference = verdict.Difference, DifferenceLow = verdict.DifferenceLow,
                DifferenceHigh = verdict.DifferenceHigh, Promoted = verdict.Promote, Reason = verdict.Reason, Actor = actor,
            });
            if (verdict.Promote)
                await registry.PromoteAsync(version, verdict.Reason, ct);
            else if (champion is not null && verdict.ChampionFails is { } failure)
            {
                var reason = $"Withdrawn by {version}'s retraining: on the newest {recent.Count} outcomes recorded since its training window, {failure}";
                if (await registry.WithdrawAsync(champion.Version, reason, ct))
                    withdrawn = reason;
            }
            return new RetrainingResult(version, champion?.Version, verdict.Promote, verdict.Reason, cutoff, train.Count, split.Outcomes, recent.Count,
                verdict.Challenger.Value, verdict.Challenger.Low, verdict.Challenger.High, verdict.Champion?.Value, verdict.Difference,
                verdict.DifferenceLow, verdict.DifferenceHigh) { ChampionWithdrawn = withdrawn };
        }, cancellationToken);
        LogDecision(result.ChallengerVersion, trigger, result.TrainingRows, result.TrainingOutcomes, result.HoldoutRows, result.Promoted, result.Reason);
        if (result.ChampionWithdrawn is not null)
            LogWithdrawn(result.ChampionVersion!, result.ChampionWithdrawn);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Champion {ModelVersion}: {Withdrawal} Its scores are marked not usable and strategies follow their rules until a challenger passes")]
    private partial void LogWithdrawn(string modelVersion, string withdrawal);

    /// <summary>Why retraining is due now (new outcomes, the newest model's age, or drift flagged for the champion); null when it is not.</summary>
    public async Task<string?> DueReasonAsync(DriftClient drift, CancellationToken cancellationToken)
    {
        var db = unitOfWork.Db;
        var champion = await db.Models.AsNoTracking().Where(m => m.IsChampion).Select(m => m.Version).SingleOrDefaultAsync(cancellationToken);
        if (champion is null)
            return null; // cold start trains the first model
        var lastTrained = await db.Models.MaxAsync(m => m.TrainedAt, cancellationToken);
        var newOutcomes = await db.TrainingExamples.CountAsync(e => e.ReceivedAt > lastTrained, cancellationToken);
        if (newOutcomes == 0)
            return null;
        var signal = await drift.ReadAsync(cancellationToken);
        return RetrainTrigger.Reason(newOutcomes, clock.GetUtcNow() - lastTrained, signal.Flagged && signal.ModelVersion == champion,
            signal.Statement, options.Value.RetrainAfterOutcomes, options.Value.RetrainOnDriftAfterOutcomes, options.Value.RetrainInterval);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retraining ({Trigger}) produced {ModelVersion} from {TrainingRows} outcomes ({TrainingOutcomes}), judged on {HoldoutRows}: promoted {Promoted}. {Reason}")]
    private partial void LogDecision(string modelVersion, string trigger, int trainingRows, TrainingOutcomes trainingOutcomes, int holdoutRows, bool promoted, string reason);
}

/// <summary>Retrains when enough new outcomes have arrived, the newest model is old, or drift is flagged; never blocks scoring.</summary>
public sealed partial class RetrainScheduler(
    IServiceScopeFactory scopes,
    ServiceDefaults.Persistence.DatabaseReadiness readiness,
    TimeProvider clock,
    IOptions<RiskScoringOptions> options,
    ILogger<RetrainScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitUntilMigratedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.RetrainCheckInterval, clock, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var retrainer = scope.ServiceProvider.GetRequiredService<ModelRetrainer>();
                if (await retrainer.DueReasonAsync(scope.ServiceProvider.GetRequiredService<DriftClient>(), stoppingToken) is { } reason)
                    await retrainer.RetrainAsync(reason, ModelRetrainer.SystemActor, stoppingToken);
            }
            catch (InsufficientTrainingDataException ex)
            {
                LogNotYet(ex.Message);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining due but not possible yet: {Reason}")]
    private partial void LogNotYet(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled retraining failed; it will be tried again")]
    private partial void LogFailed(Exception exception);
}
