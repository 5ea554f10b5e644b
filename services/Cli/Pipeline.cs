using System.Diagnostics;
using LoanRecovery.Ml;
using LoanRecovery.Ml.Calibration;
using LoanRecovery.Ml.Evaluation;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Cli;

/// <summary>A fitted, calibrated model and how it was made.</summary>
public sealed record FittedModel(TreeEnsembleModel Model, double FitSeconds, int FitRows, int CalibrationRows);

/// <summary>Holdout evaluation of a fitted model.</summary>
public sealed record HoldoutResult(ClassificationReport Report, QualityVerdict Verdict, double RawAuc, double[] Probabilities);

/// <summary>Fit → calibrate → evaluate, shared by train and evaluate. Metrics rows are never used for fitting or calibration.</summary>
public static class Pipeline
{
    private const double TimingSeconds = 0.3;
    private const double ShapTimingSeconds = 1.0;

    public static int[] IntLabels(Dataset data) => data.Labels.Select(v => v > 0.5 ? 1 : 0).ToArray();

    /// <summary>
    /// Fits on <paramref name="train"/>. With calibration on, a stratified share of the training rows is held back,
    /// the model is fitted on the rest, and the calibrator on the held-back rows' predictions.
    /// </summary>
    public static FittedModel Fit(Dataset train, ModelSettings s, IProgress<int>? progress, CancellationToken ct = default)
    {
        Dataset fit = train, calibration = train;
        bool calibrate = s.Calibration != "none";
        if (calibrate)
        {
            var y = IntLabels(train);
            var split = Splits.StratifiedHoldout(y, s.CalibrationFraction, unchecked(s.Seed * 31 + 7));
            fit = train.Subset(split.Train);
            calibration = train.Subset(split.Test);
            if (IntLabels(fit).Distinct().Count() < 2)
                throw new CliException("The fitting part of the training rows has one class only; use more data or --calibration none.");
        }

        var sw = Stopwatch.StartNew();
        TreeEnsembleModel model = s.Model == "gbdt"
            ? GradientBoostingTrainer.Fit(fit, s.EarlyStopping is null ? null : calibration, s.Boosting(), progress, ct)
            : RandomForestTrainer.Fit(fit, s.Forest(), progress, ct);
        double seconds = sw.Elapsed.TotalSeconds;

        if (calibrate)
        {
            var p = model.PredictProbability(calibration);
            model.Calibrator = s.Calibration == "platt"
                ? PlattCalibrator.Fit(p, IntLabels(calibration))
                : IsotonicCalibrator.Fit(p, IntLabels(calibration));
        }
        return new FittedModel(model, seconds, fit.RowCount, calibrate ? calibration.RowCount : 0);
    }

    /// <summary>Metrics on served (calibrated) probabilities and the quality gate on their AUC.</summary>
    public static HoldoutResult Evaluate(TreeEnsembleModel model, Dataset holdout, double threshold = 0.5)
    {
        var y = IntLabels(holdout);
        if (y.Distinct().Count() < 2)
            throw new CliException($"The holdout ({holdout.RowCount} rows) has one class only; metrics need both. Use more data or a larger --holdout.");
        var p = model.PredictCalibrated(holdout);
        var raw = model.PredictRaw(holdout);
        var report = Metrics.Evaluate(p, y, threshold);
        return new HoldoutResult(report, QualityGate.Assess(report.Auc), Auc.DeLong(raw, y).Value, p);
    }

    /// <summary>Mean single-thread time of one served score, over the holdout rows (at least about 0.3 s of them).</summary>
    public static double PredictMicrosPerRow(TreeEnsembleModel model, double[][] rows)
    {
        double sink = 0;
        foreach (var r in rows.Take(200)) sink += model.PredictCalibrated(r); // warm-up
        long done = 0;
        var sw = Stopwatch.StartNew();
        while (true)
        {
            foreach (var r in rows)
            {
                sink += model.PredictCalibrated(r);
                if ((++done & 255) == 0 && sw.Elapsed.TotalSeconds >= TimingSeconds) goto finished;
            }
            if (sw.Elapsed.TotalSeconds >= TimingSeconds) break;
        }
    finished:
        GC.KeepAlive(sink);
        return sw.Elapsed.TotalMilliseconds * 1000 / done;
    }

    /// <summary>Mean single-thread time of one exact TreeSHAP explanation (up to about a second of rows).</summary>
    public static double ShapMicrosPerRow(TreeEnsembleModel model, double[][] rows)
    {
        var contributions = new double[model.Schema.Count];
        foreach (var r in rows.Take(20)) model.Shap(r, contributions); // warm-up
        long done = 0;
        var sw = Stopwatch.StartNew();
        do
        {
            foreach (var r in rows)
            {
                model.Shap(r, contributions);
                done++;
                if ((done & 63) == 0 && sw.Elapsed.TotalSeconds > ShapTimingSeconds) break;
            }
        } while (sw.Elapsed.TotalSeconds < ShapTimingSeconds);
        return sw.Elapsed.TotalMilliseconds * 1000 / done;
    }

    public static double[][] RowsOf(Dataset data)
    {
        var rows = new double[data.RowCount][];
        for (int i = 0; i < rows.Length; i++) rows[i] = data.GetRow(i);
        return rows;
    }
}
