using System.CommandLine;
using LoanRecovery.Ml.Evaluation;
using Spectre.Console;

namespace LoanRecovery.Cli.Commands;

/// <summary><c>loanrecovery evaluate</c>: stratified k-fold cross-validated metrics with AUC intervals.</summary>
public static class EvaluateCommand
{
    public static Command Create(Func<bool, Output> output)
    {
        var common = new ModelOptions();
        var folds = new Option<int>("--folds") { Description = "Number of stratified folds.", DefaultValueFactory = _ => 5 };
        var cmd = new Command("evaluate", "Cross-validate a model on a CSV: metrics per fold, their mean, and the pooled out-of-fold AUC with the quality gate.");
        common.AddTo(cmd);
        cmd.Options.Add(folds);
        cmd.SetAction((p, ct) => Task.FromResult(Run(p, common, p.GetValue(folds), output(p.GetValue(common.Json)), ct)));
        return cmd;
    }

    private sealed record FoldResult(int Fold, int Rows, double Auc, double AucLow, double AucHigh, double Ks, double Brier, double LogLoss, double Ece, double FitSeconds);

    private static int Run(ParseResult p, ModelOptions o, int k, Output io, CancellationToken ct)
    {
        var s = o.Read(p);
        if (k < 2) throw new CliException("--folds must be at least 2.");
        var table = CsvTable.Read(p.GetValue(o.Data)!);
        var rule = new LabelRule(p.GetValue(o.Label)!, p.GetValue(o.Positive), p.GetValue(o.Negative));
        var y = rule.Labels(table);
        var exclude = DatasetBuilder.ParseList(p.GetValue(o.Exclude));
        var features = DatasetBuilder.FeatureColumns(table, rule.Column, exclude);
        var kinds = DatasetBuilder.InferKinds(table, features, DatasetBuilder.ParseList(p.GetValue(o.Categorical)), DatasetBuilder.ParseList(p.GetValue(o.Numeric)));
        var all = DatasetBuilder.Build(table, y, features, kinds);
        IReadOnlyList<SplitIndices> splits;
        try
        {
            splits = Splits.StratifiedKFold(y, k, s.Seed);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }

        var oof = new double[y.Length];
        var results = io.WithProgress($"Cross-validating {k} folds", k * s.Trees, progress =>
        {
            var list = new List<FoldResult>();
            for (int f = 0; f < k; f++)
            {
                int done = f * s.Trees;
                var foldProgress = progress is null ? null : new Progress<int>(v => progress.Report(done + v));
                var fitted = Pipeline.Fit(all.Subset(splits[f].Train), s, foldProgress, ct);
                var test = all.Subset(splits[f].Test);
                var res = Pipeline.Evaluate(fitted.Model, test);
                for (int i = 0; i < splits[f].Test.Length; i++) oof[splits[f].Test[i]] = res.Probabilities[i];
                var r = res.Report;
                list.Add(new FoldResult(f + 1, test.RowCount, r.Auc.Value, r.Auc.Low, r.Auc.High, r.Ks, r.Brier, r.LogLoss, r.Ece, fitted.FitSeconds));
                progress?.Report((f + 1) * s.Trees);
            }
            return list;
        });

        var pooled = Metrics.Evaluate(oof, y);
        var verdict = QualityGate.Assess(pooled.Auc);
        double Mean(Func<FoldResult, double> f) => results.Average(f);
        double Sd(Func<FoldResult, double> f) { double m = Mean(f); return Math.Sqrt(results.Sum(r => (f(r) - m) * (f(r) - m)) / Math.Max(1, results.Count - 1)); }

        if (io.Json)
        {
            io.WriteJson(new
            {
                folds = results,
                mean = new { auc = Mean(r => r.Auc), aucSd = Sd(r => r.Auc), ks = Mean(r => r.Ks), brier = Mean(r => r.Brier), logLoss = Mean(r => r.LogLoss), ece = Mean(r => r.Ece) },
                pooled = new { auc = pooled.Auc.Value, aucLow = pooled.Auc.Low, aucHigh = pooled.Auc.High, ks = pooled.Ks, brier = pooled.Brier, logLoss = pooled.LogLoss, ece = pooled.Ece },
                usable = verdict.Usable, verdict = verdict.Reason, rows = y.Length, features = all.FeatureCount, model = s.Model,
            });
            return 0;
        }

        io.Line($"{k}-fold cross-validation of {s.Describe()} on {table.Path}");
        io.Line($"  label: {rule.Describe()}; {y.Length} rows, {y.Sum()} positive; {all.FeatureCount} features" + (exclude.Count > 0 ? $"; excluded {string.Join(", ", exclude)}" : ""));
        io.Line();
        var t = new Table().AddColumns("fold", "rows", "AUC (95% CI)", "KS", "Brier", "log loss", "ECE", "fit s");
        foreach (var r in results)
            t.AddRow(r.Fold.ToString(), r.Rows.ToString(), $"{Output.F(r.Auc)} ({Output.F(r.AucLow)}–{Output.F(r.AucHigh)})",
                Output.F(r.Ks), Output.F(r.Brier, "0.0000"), Output.F(r.LogLoss, "0.0000"), Output.F(r.Ece, "0.0000"), Output.F(r.FitSeconds, "0.00"));
        t.AddRow("mean", y.Length.ToString(), $"{Output.F(Mean(r => r.Auc))} ± {Output.F(Sd(r => r.Auc))} (sd)", Output.F(Mean(r => r.Ks)),
            Output.F(Mean(r => r.Brier), "0.0000"), Output.F(Mean(r => r.LogLoss), "0.0000"), Output.F(Mean(r => r.Ece), "0.0000"), Output.F(Mean(r => r.FitSeconds), "0.00"));
        io.Write(t);
        io.Line($"Pooled out-of-fold AUC {Output.F(pooled.Auc.Value)} (95% CI {Output.F(pooled.Auc.Low)}–{Output.F(pooled.Auc.High)}), KS {Output.F(pooled.Ks)}, Brier {Output.F(pooled.Brier, "0.0000")}");
        io.Line(verdict.Reason.Replace("holdout AUC", "cross-validated AUC", StringComparison.Ordinal));
        return 0;
    }
}
