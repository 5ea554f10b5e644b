using LoanRecovery.Contracts;
using LoanRecovery.Ml;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.RiskScoring.Domain;

/// <summary>Band thresholds: above <see cref="High"/> is high risk, from <see cref="Medium"/> to <see cref="High"/> medium.</summary>
public sealed record BandThresholds(double Medium, double High)
{
    public RiskBand BandOf(double probability) =>
        probability > High ? RiskBand.High : probability >= Medium ? RiskBand.Medium : RiskBand.Low;
}

/// <summary>A champion model ready to score: the ensemble, its version and whether it passed its quality gate.</summary>
public sealed record ScoringModel(string Version, TreeEnsembleModel Model, bool Usable);

public sealed record RiskAssessment(
    double Probability,
    RiskBand Band,
    IReadOnlyList<ReasonCode> Reasons,
    double ExpectedValue,
    double RawScore,
    IReadOnlyDictionary<string, double> Contributions,
    IReadOnlyDictionary<string, double?> Features);

/// <summary>
/// Scores one loan: the calibrated probability of not being fully recovered, its band, and the top reasons from
/// exact TreeSHAP. Contributions are exact in raw (log-odds) space and rank the reasons; for the sentences they are
/// turned into probability units by sharing the move from the base probability to this loan's probability in
/// proportion to them, so the reasons read in the same units as the score.
/// </summary>
public sealed class RiskScorer(BandThresholds thresholds, int reasonCount)
{
    public RiskAssessment Score(ScoringModel scoring, IReadOnlyDictionary<string, double?> features)
    {
        var model = scoring.Model;
        var schema = model.Schema;
        var row = FeatureVector.ToRow(features, schema);
        var raw = model.PredictRaw(row);
        var probability = model.PredictCalibrated(row);
        var shap = new double[schema.Count];
        model.Shap(row, shap);

        var baseProbability = BaseProbability(model);
        var shapSum = shap.Sum();
        var delta = probability - baseProbability;
        // Sharing the move from the base probability needs a move and a non-vanishing total; a calibration plateau (the
        // loan's probability equals the base) or cancelling contributions leave the logistic slope at this score instead.
        var share = Math.Abs(delta) >= 1e-4 && Math.Abs(shapSum) > 1e-9;
        var uncalibrated = share ? 0 : model.PredictProbability(row);
        var contributions = new Dictionary<string, double>(schema.Count);
        var probabilityShare = new double[schema.Count];
        for (var i = 0; i < schema.Count; i++)
        {
            contributions[schema[i].Name] = shap[i];
            var inProbability = share ? shap[i] / shapSum * delta : shap[i] * uncalibrated * (1 - uncalibrated);
            probabilityShare[i] = Math.Clamp(inProbability, -1, 1);
        }

        // Reasons are ranked by the exact contributions, which never depend on how they are put into probability units.
        var reasons = Enumerable.Range(0, schema.Count)
            .Where(i => shap[i] != 0)
            .OrderByDescending(i => Math.Abs(shap[i]))
            .ThenBy(i => i)
            .Take(reasonCount)
            .Select(i => new ReasonCode(schema[i].Name, ReasonText.Value(schema[i], row[i]), probabilityShare[i],
                ReasonText.Sentence(schema[i], row[i], probabilityShare[i])))
            .ToList();
        return new RiskAssessment(probability, thresholds.BandOf(probability), reasons, model.ExpectedValue, raw, contributions, features);
    }

    /// <summary>The probability the model gives a loan at its expected raw output (the TreeSHAP base value).</summary>
    public static double BaseProbability(ITreeEnsemble model)
    {
        var uncalibrated = model.Kind == ModelKind.GradientBoosting ? 1 / (1 + Math.Exp(-model.ExpectedValue)) : model.ExpectedValue;
        return model is TreeEnsembleModel { Calibrator: { } calibrator } ? calibrator.Calibrate(uncalibrated) : uncalibrated;
    }
}
