using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Ml.Serialization;
using LoanRecovery.Ml.Trees;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Training;

/// <summary>Loaded models by version: a model file is parsed once, not on every score.</summary>
public sealed class ModelCache
{
    private readonly ConcurrentDictionary<string, TreeEnsembleModel> _models = new();

    public TreeEnsembleModel GetOrLoad(string version, Func<string> modelFile) =>
        _models.GetOrAdd(version, _ =>
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(modelFile()));
            return ModelFile.Load(stream);
        });
}

/// <summary>The model registry in the <c>risk</c> schema: every trained model with its evidence, and the champion.</summary>
public sealed class ModelRegistry(UnitOfWork<RiskDbContext> unitOfWork, ModelCache cache, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RiskDbContext Db => unitOfWork.Db;

    public async Task<ScoringModel?> ChampionAsync(CancellationToken cancellationToken)
    {
        var champion = await Db.Models.AsNoTracking().Where(m => m.IsChampion)
            // RiskModelRecord.UsableNow, written out so that PostgreSQL evaluates it (a computed property is not translated).
            .Select(m => new { m.Version, Usable = m.Usable && m.WithdrawnAt == null }).SingleOrDefaultAsync(cancellationToken);
        if (champion is null)
            return null;
        var model = cache.GetOrLoad(champion.Version, () =>
            Db.Models.AsNoTracking().Where(m => m.Version == champion.Version).Select(m => m.ModelFile).Single());
        return new ScoringModel(champion.Version, model, champion.Usable);
    }

    /// <summary>Stores a trained model and its evidence (inside the caller's unit of work); returns its version.</summary>
    public async Task<string> RegisterAsync(TrainedRiskModel trained, DateTimeOffset windowFrom, DateTimeOffset windowTo, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var count = await Db.Models.CountAsync(cancellationToken);
        // The suffix keeps versions unique when two instances train in the same second.
        var version = $"risk-{count + 1:0000}-{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
        trained.Model.Metadata["version"] = version;
        trained.Model.Metadata["trainedAt"] = now.ToString("O");
        using var file = new MemoryStream();
        ModelFile.Save(trained.Model, file);
        Db.Models.Add(new RiskModelRecord
        {
            Version = version,
            Kind = trained.Model.Kind.ToString(),
            TrainedAt = now,
            WindowFrom = windowFrom,
            WindowTo = windowTo,
            TrainingRows = trained.TrainingRows,
            PositiveRate = trained.PositiveRate,
            FeatureSchema = JsonSerializer.Serialize(trained.Model.Schema.Select(f => new { f.Name, Kind = f.Kind.ToString(), f.Categories }), Json),
            Metrics = JsonSerializer.Serialize(trained.Holdout, Json),
            Reliability = JsonSerializer.Serialize(trained.Reliability, Json),
            GlobalImportance = JsonSerializer.Serialize(trained.GlobalImportance, Json),
            Usable = trained.Verdict.Usable,
            GateReason = trained.Verdict.Reason,
            ModelFile = Encoding.UTF8.GetString(file.ToArray()),
        });
        await Db.SaveChangesAsync(cancellationToken);
        return version;
    }

    /// <summary>
    /// Marks the champion's scores not usable from now on (inside the caller's unit of work), keeping it champion until a
    /// challenger passes. A champion already withdrawn keeps its first reason.
    /// </summary>
    public async Task<bool> WithdrawAsync(string version, string reason, CancellationToken cancellationToken)
    {
        // Another instance may have promoted a new champion meanwhile (the training lock is per process).
        var model = await Db.Models.SingleOrDefaultAsync(m => m.Version == version && m.IsChampion, cancellationToken);
        if (model is null || model.WithdrawnAt is not null || !model.Usable)
            return false;
        model.WithdrawnAt = clock.GetUtcNow();
        model.WithdrawnReason = reason;
        await Db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Makes a model the champion and announces it (inside the caller's unit of work).</summary>
    public async Task PromoteAsync(string version, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = await Db.Models.Where(m => m.IsChampion).SingleOrDefaultAsync(cancellationToken);
        if (previous is not null)
        {
            previous.IsChampion = false;
            await Db.SaveChangesAsync(cancellationToken); // the one-champion index must see the old one go first
        }
        var model = await Db.Models.SingleAsync(m => m.Version == version, cancellationToken);
        model.IsChampion = true;
        model.PromotedAt = now;
        var metrics = JsonSerializer.Deserialize<HoldoutMetrics>(model.Metrics, Json)!;
        unitOfWork.Publish(new ModelPromoted(version, previous?.Version, model.Usable, metrics.Auc, metrics.AucLow, metrics.AucHigh, reason, now));
    }
}
