using LoanRecovery.Ml;
using LoanRecovery.Ml.Calibration;
using LoanRecovery.Ml.Evaluation;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.RiskScoring.Domain;

/// <summary>One observed outcome as training data: the features at decision time and whether the loan was not fully recovered.</summary>
public sealed record TrainingExample(IReadOnlyDictionary<string, double?> Features, bool NotFullyRecovered);

public sealed record TrainingSettings(
    int Trees, int MaxDepth, double LearningRate, double MinChildWeight, double HoldoutFraction, double CalibrationFraction,
    int MinimumRows, int Seed, int GateFolds = 5);

public sealed record HoldoutMetrics(double Auc, double AucLow, double AucHigh, double Brier, double LogLoss, double Ks, double Ece, int Rows, int Positives);

public sealed record TrainedRiskModel(
    TreeEnsembleModel Model,
    HoldoutMetrics Holdout,
    QualityVerdict Verdict,
    ReliabilityTable Reliability,
    IReadOnlyDictionary<string, double> GlobalImportance,
    int TrainingRows,
    double PositiveRate);

/// <summary>
/// Trains a calibrated gradient-boosted model on observed outcomes: a stratified holdout is kept apart for the
/// calibration figures; the rest is split into a fitting part and a calibration part (isotonic), so no figure is
/// measured on data the model or its calibration saw. The quality gate judges the AUC of cross-validated
/// out-of-fold predictions over every outcome.
/// </summary>
public static class RiskModelTrainer
{
    public static TrainedRiskModel Train(IReadOnlyList<TrainingExample> examples, TrainingSettings settings, CancellationToken cancellationToken = default)
    {
        var positives = examples.Count(e => e.NotFullyRecovered);
        if (examples.Count < settings.MinimumRows)
            throw new InsufficientTrainingDataException($"{examples.Count} outcomes; at least {settings.MinimumRows} are needed to train.");
        if (positives == 0 || positives == examples.Count)
            throw new InsufficientTrainingDataException($"All {examples.Count} outcomes have the same label; a model needs both recovered and unrecovered loans.");

        var data = ToDataset(examples);
        var labels = data.Labels.Select(l => (int)l).ToArray();
        var holdoutSplit = Splits.StratifiedHoldout(labels, settings.HoldoutFraction, settings.Seed);
        var rest = data.Subset(holdoutSplit.Train);
        var holdout = data.Subset(holdoutSplit.Test);
        var restLabels = rest.Labels.Select(l => (int)l).ToArray();
        var calibrationSplit = Splits.StratifiedHoldout(restLabels, settings.CalibrationFraction, settings.Seed + 1);
        var fit = rest.Subset(calibrationSplit.Train);
        var calibration = rest.Subset(calibrationSplit.Test);

        var model = GradientBoostingTrainer.Fit(fit, null, Options(settings), cancellationToken: cancellationToken);
        model.Calibrator = IsotonicCalibrator.Fit(model.PredictProbability(calibration), calibration.Labels.Select(l => (int)l).ToArray());

        var holdoutLabels = holdout.Labels.Select(l => (int)l).ToArray();
        var probabilities = model.PredictCalibrated(holdout);
        // The gate judges ranking on every outcome, out of fold: one holdout of a small portfolio gives an interval so
        // wide that noise clears it now and then; cross-validated predictions over all rows do not.
        var auc = CrossValidatedAuc(data, labels, settings, cancellationToken);
        var verdict = QualityGate.Assess(auc);
        var metrics = new HoldoutMetrics(auc.Value, auc.Low, auc.High, Metrics.Brier(probabilities, holdoutLabels),
            Metrics.LogLoss(probabilities, holdoutLabels), Metrics.Ks(probabilities, holdoutLabels), Metrics.Ece(probabilities, holdoutLabels),
            holdout.RowCount, holdoutLabels.Sum());
        var importance = model.GlobalImportance(holdout);
        return new TrainedRiskModel(model, metrics, verdict, ReliabilityTable.Build(probabilities, holdoutLabels),
            RiskFeatures.Schema.Names.Select((name, i) => (name, importance[i])).ToDictionary(x => x.name, x => x.Item2),
            examples.Count, (double)positives / examples.Count);
    }

    /// <summary>AUC with its DeLong interval of out-of-fold predictions: each fold scored by a model fitted on the others.</summary>
    public static AucResult CrossValidatedAuc(Dataset data, int[] labels, TrainingSettings settings, CancellationToken cancellationToken)
    {
        var outOfFold = new double[data.RowCount];
        foreach (var fold in Splits.StratifiedKFold(labels, settings.GateFolds, settings.Seed + 2))
        {
            var model = GradientBoostingTrainer.Fit(data.Subset(fold.Train), null, Options(settings), cancellationToken: cancellationToken);
            var scores = model.PredictProbability(data.Subset(fold.Test));
            for (var i = 0; i < fold.Test.Length; i++)
                outOfFold[fold.Test[i]] = scores[i];
        }
        return Auc.DeLong(outOfFold, labels);
    }

    private static GradientBoostingOptions Options(TrainingSettings settings) => new()
    {
        Trees = settings.Trees,
        MaxDepth = settings.MaxDepth,
        LearningRate = settings.LearningRate,
        MinChildWeight = settings.MinChildWeight,
        MonotoneConstraints = RiskFeatures.MonotoneConstraints,
        Seed = settings.Seed,
    };

    public static Dataset ToDataset(IReadOnlyList<TrainingExample> examples)
    {
        var schema = RiskFeatures.Schema;
        var columns = new double[schema.Count][];
        for (var f = 0; f < schema.Count; f++)
            columns[f] = new double[examples.Count];
        var labels = new double[examples.Count];
        for (var r = 0; r < examples.Count; r++)
        {
            var row = FeatureVector.ToRow(examples[r].Features, schema);
            for (var f = 0; f < schema.Count; f++)
                columns[f][r] = row[f];
            labels[r] = examples[r].NotFullyRecovered ? 1 : 0;
        }
        return new Dataset(schema, columns, labels);
    }
}

public sealed class InsufficientTrainingDataException(string message) : Exception(message);
