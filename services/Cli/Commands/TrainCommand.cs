using System.CommandLine;
using LoanRecovery.Ml;
using LoanRecovery.Ml.Evaluation;
using LoanRecovery.Ml.Serialization;
using Spectre.Console;

namespace LoanRecovery.Cli.Commands;

/// <summary><c>loanrecovery train</c>: fit on a CSV, report holdout metrics, timings and the quality gate; optionally save the model.</summary>
public static class TrainCommand
{
    public static Command Create(Func<bool, Output> output)
    {
        var common = new ModelOptions();
        var holdout = new Option<double>("--holdout") { Description = "Share of rows held out (stratified) for the metrics.", DefaultValueFactory = _ => 0.3 };
        var test = new Option<string?>("--test") { Description = "Measure on this CSV instead of a holdout split of --data (same columns)." };
        var outFile = new Option<string?>("--out") { Description = "Write the model file (JSON) with its calibration and metrics here." };
        var skipShap = new Option<bool>("--skip-shap-timing") { Description = "Do not time TreeSHAP (shapMicrosPerRow is then null); its tables take much memory for deep forests." };
        var threshold = new Option<double>("--threshold") { Description = "Probability at or above which a row counts as positive in the confusion matrix.", DefaultValueFactory = _ => 0.5 };
        var cmd = new Command("train", "Train a tree ensemble on a CSV and report holdout metrics and the quality gate.");
        common.AddTo(cmd);
        cmd.Options.Add(holdout);
        cmd.Options.Add(test);
        cmd.Options.Add(outFile);
        cmd.Options.Add(threshold);
        cmd.Options.Add(skipShap);
        cmd.SetAction((p, ct) => Task.FromResult(Run(p, common, p.GetValue(holdout), p.GetValue(test), p.GetValue(outFile), p.GetValue(threshold),
            p.GetValue(skipShap), output(p.GetValue(common.Json)), ct)));
        return cmd;
    }

    private static int Run(ParseResult p, ModelOptions o, double holdoutFraction, string? testPath, string? outPath, double threshold,
        bool skipShap, Output io, CancellationToken ct)
    {
        var s = o.Read(p);
        if (testPath is null && holdoutFraction is <= 0 or >= 1) throw new CliException("--holdout must lie strictly between 0 and 1.");
        var table = CsvTable.Read(p.GetValue(o.Data)!);
        var rule = new LabelRule(p.GetValue(o.Label)!, p.GetValue(o.Positive), p.GetValue(o.Negative));
        var y = rule.Labels(table);
        var exclude = DatasetBuilder.ParseList(p.GetValue(o.Exclude));
        var features = DatasetBuilder.FeatureColumns(table, rule.Column, exclude);
        var kinds = DatasetBuilder.InferKinds(table, features, DatasetBuilder.ParseList(p.GetValue(o.Categorical)), DatasetBuilder.ParseList(p.GetValue(o.Numeric)));
        var all = DatasetBuilder.Build(table, y, features, kinds);

        Dataset train, hold;
        string splitText;
        if (testPath is not null)
        {
            var testTable = CsvTable.Read(testPath);
            var ty = rule.Labels(testTable);
            foreach (var f in features) testTable.Require(f, "Feature");
            train = all;
            hold = DatasetBuilder.Build(testTable, ty, features, null, all.Schema);
            splitText = $"{train.RowCount} training rows from {table.Path}, {hold.RowCount} test rows from {testTable.Path}";
        }
        else
        {
            var split = Splits.StratifiedHoldout(y, holdoutFraction, s.Seed);
            train = all.Subset(split.Train);
            hold = all.Subset(split.Test);
            splitText = $"{train.RowCount} training rows, {hold.RowCount} holdout rows (stratified, seed {s.Seed})";
        }

        var fitted = io.WithProgress($"Fitting {s.Trees} trees", s.Trees, progress => Pipeline.Fit(train, s, progress, ct));
        var model = fitted.Model;
        var result = Pipeline.Evaluate(model, hold, threshold);
        var rows = Pipeline.RowsOf(hold);
        double predictMicros = Pipeline.PredictMicrosPerRow(model, rows);
        double? shapMicros = skipShap ? null : Pipeline.ShapMicrosPerRow(model, rows);
        var r = result.Report;

        if (outPath is not null)
        {
            model.Metadata["label"] = rule.Column;
            if (rule.PositiveText is not null) model.Metadata["positive"] = rule.PositiveText;
            if (rule.NegativeText is not null) model.Metadata["negative"] = rule.NegativeText;
            model.Metadata["excluded"] = string.Join(",", exclude);
            model.Metadata["data"] = Path.GetFileName(table.Path);
            model.Metadata["settings"] = s.Describe();
            model.Metadata["calibration"] = s.Calibration;
            model.Metadata["qualityGate"] = result.Verdict.Reason;
            model.Metadata["trainedUtc"] = DateTime.UtcNow.ToString("O");
            model.Metrics["auc"] = r.Auc.Value;
            model.Metrics["aucLow"] = r.Auc.Low;
            model.Metrics["aucHigh"] = r.Auc.High;
            model.Metrics["brier"] = r.Brier;
            model.Metrics["logLoss"] = r.LogLoss;
            model.Metrics["ks"] = r.Ks;
            model.Metrics["ece"] = r.Ece;
            model.Metrics["usable"] = result.Verdict.Usable ? 1 : 0;
            model.Metrics["holdoutRows"] = hold.RowCount;
            try
            {
                using var stream = File.Create(outPath);
                ModelFile.Save(model, stream);
            }
            catch (IOException ex)
            {
                throw new CliException($"Cannot write the model file '{outPath}': {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new CliException($"Cannot write the model file '{outPath}': {ex.Message}");
            }
        }

        if (io.Json)
        {
            io.WriteJson(new
            {
                auc = r.Auc.Value, aucLow = r.Auc.Low, aucHigh = r.Auc.High, rawAuc = result.RawAuc, gini = r.Gini,
                brier = r.Brier, logLoss = r.LogLoss, ks = r.Ks, ece = r.Ece,
                usable = result.Verdict.Usable, verdict = result.Verdict.Reason,
                fitSeconds = fitted.FitSeconds, predictMicrosPerRow = predictMicros, shapMicrosPerRow = shapMicros,
                rows = train.RowCount + hold.RowCount, trainRows = train.RowCount, fitRows = fitted.FitRows,
                calibrationRows = fitted.CalibrationRows, holdoutRows = hold.RowCount,
                features = all.FeatureCount, model = s.Model, trees = model.TreeCount, threads = s.Threads,
                calibration = s.Calibration, modelFile = outPath,
            });
            return 0;
        }

        io.Line($"Trained {s.Describe()} on {table.Path}");
        io.Line($"  label:    {rule.Describe()}; {y.Length} rows, {y.Sum()} positive ({Output.F(100.0 * y.Sum() / y.Length, "0.0")}%)");
        io.Line($"  features: {all.FeatureCount} ({string.Join(", ", all.Schema.Select(f => f.Kind == FeatureKind.Categorical ? f.Name + " [cat]" : f.Name))})");
        if (exclude.Count > 0) io.Line($"  excluded: {string.Join(", ", exclude)}");
        io.Line($"  split:    {splitText}; fitted on {fitted.FitRows}" +
                (fitted.CalibrationRows > 0 ? $", {s.Calibration} calibration on {fitted.CalibrationRows} held-back training rows" : ", no calibration"));
        io.Line();
        var t = new Table().Title($"Holdout metrics ({hold.RowCount} rows)").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        t.AddRow("AUC (95% CI, DeLong)", $"{Output.F(r.Auc.Value)} ({Output.F(r.Auc.Low)}–{Output.F(r.Auc.High)})");
        t.AddRow("Gini", Output.F(r.Gini));
        t.AddRow("KS", Output.F(r.Ks));
        t.AddRow("Brier", Output.F(r.Brier, "0.0000"));
        t.AddRow("Log loss", Output.F(r.LogLoss, "0.0000"));
        t.AddRow("ECE (10 bins)", Output.F(r.Ece, "0.0000"));
        var cm = r.Confusion;
        t.AddRow($"Confusion at {Output.F(threshold, "0.##")}", $"TP {cm.TruePositives}  FP {cm.FalsePositives}  TN {cm.TrueNegatives}  FN {cm.FalseNegatives}");
        t.AddRow("Precision / recall", $"{Output.F(cm.Precision)} / {Output.F(cm.Recall)}");
        io.Write(t);
        io.Line($"Fit {Output.F(fitted.FitSeconds, "0.00")} s ({s.Threads} thread{(s.Threads == 1 ? "" : "s")}); scoring {Output.F(predictMicros, "0.00")} µs/row; TreeSHAP {(shapMicros is double sm ? Output.F(sm, "0.0") + " µs/row" : "not timed")}");
        io.Line();
        io.Line(result.Verdict.Reason);
        if (!result.Verdict.Usable)
            io.Line("Its scores would present noise as risk: do not use them for decisions; fall back to rules.");
        if (outPath is not null) io.Line($"Model written to {outPath}{(result.Verdict.Usable ? "" : " (marked not usable)")}.");
        return 0;
    }
}
