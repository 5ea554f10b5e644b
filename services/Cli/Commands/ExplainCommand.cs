using System.CommandLine;
using LoanRecovery.Ml;
using LoanRecovery.Ml.Serialization;
using LoanRecovery.Ml.Trees;
using Spectre.Console;

namespace LoanRecovery.Cli.Commands;

/// <summary><c>loanrecovery explain</c>: exact TreeSHAP contributions of a saved model for rows of a CSV.</summary>
public static class ExplainCommand
{
    public static Command Create(Func<bool, Output> output)
    {
        var model = new Option<string>("--model") { Description = "Model file written by train --out.", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with (at least) the model's feature columns.", Required = true };
        var row = new Option<int?>("--row") { Description = "Explain this data row (1 = first row after the header)." };
        var rows = new Option<int>("--rows") { Description = "Without --row: explain the first N rows.", DefaultValueFactory = _ => 3 };
        var top = new Option<int>("--top") { Description = "Contributions shown per row (largest |contribution| first).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every contribution." };
        var cmd = new Command("explain", "Explain a saved model's scores for rows of a CSV with exact TreeSHAP contributions.") { model, data, row, rows, top, json };
        cmd.SetAction(p => Run(p.GetValue(model)!, p.GetValue(data)!, p.GetValue(row), p.GetValue(rows), p.GetValue(top), output(p.GetValue(json))));
        return cmd;
    }

    private static int Run(string modelPath, string dataPath, int? row, int count, int top, Output io)
    {
        if (!File.Exists(modelPath)) throw new CliException($"Model file '{modelPath}' does not exist.");
        TreeEnsembleModel model;
        try
        {
            using var stream = File.OpenRead(modelPath);
            model = ModelFile.Load(stream);
        }
        catch (ModelFileException ex)
        {
            throw new CliException($"Cannot use model file '{modelPath}': {ex.Message}");
        }
        var table = CsvTable.Read(dataPath);
        var encoded = DatasetBuilder.EncodeForModel(table, model.Schema);
        int[] which;
        if (row is int r)
        {
            if (r < 1 || r > encoded.Length) throw new CliException($"--row {r} is outside the file's data rows 1..{encoded.Length}.");
            which = [r - 1];
        }
        else
        {
            if (count < 1) throw new CliException("--rows must be at least 1.");
            which = Enumerable.Range(0, Math.Min(count, encoded.Length)).ToArray();
        }
        if (top < 1) throw new CliException("--top must be at least 1.");

        var schema = model.Schema;
        var idx = schema.Names.Select(table.IndexOf).ToArray();
        var explained = new List<object>();
        var contributions = new double[schema.Count];
        if (!io.Json)
        {
            io.Line($"Model {Path.GetFileName(modelPath)}: {model.Kind}, {model.TreeCount} trees; contributions are in raw (log-odds) units for gradient boosting, probability units for forests.");
            if (model.Metadata.TryGetValue("qualityGate", out var gate)) io.Line($"Quality gate at training: {gate}");
        }
        foreach (int i in which)
        {
            model.Shap(encoded[i], contributions);
            double raw = model.PredictRaw(encoded[i]);
            double prob = model.PredictCalibrated(encoded[i]);
            var items = Enumerable.Range(0, schema.Count)
                .Select(f => new { feature = schema[f].Name, value = table.Rows[i][idx[f]], contribution = contributions[f] })
                .OrderByDescending(c => Math.Abs(c.contribution)).ThenBy(c => c.feature, StringComparer.Ordinal).ToArray();
            if (io.Json)
            {
                explained.Add(new { row = i + 1, expectedValue = model.ExpectedValue, raw, probability = prob, contributions = items });
                continue;
            }
            io.Line();
            io.Line($"Row {i + 1}: score {Output.F(prob, "0.000")} (raw {Output.F(raw, "0.0000")} = expected {Output.F(model.ExpectedValue, "0.0000")} + contributions {Output.F(contributions.Sum(), "0.0000")})");
            var t = new Table().AddColumn("feature").AddColumn("value").AddColumn(new TableColumn("contribution").RightAligned());
            foreach (var c in items.Take(top))
                t.AddRow(new Text(c.feature), new Text(c.value ?? "(missing)"), new Text(Output.F(c.contribution, "+0.0000;-0.0000;0.0000")));
            if (items.Length > top)
                t.AddRow(new Text($"{items.Length - top} others"), new Text(""), new Text(Output.F(items.Skip(top).Sum(c => c.contribution), "+0.0000;-0.0000;0.0000")));
            io.Write(t);
        }
        if (io.Json) io.WriteJson(new { model = modelPath, kind = model.Kind.ToString(), rows = explained });
        return 0;
    }
}
