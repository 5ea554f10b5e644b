using System.CommandLine;
using System.Diagnostics;
using LoanRecovery.Ml.Clustering;
using Spectre.Console;

namespace LoanRecovery.Cli.Commands;

/// <summary><c>loanrecovery segment</c>: k-means segments of numeric columns, centroids in original units.</summary>
public static class SegmentCommand
{
    public static Command Create(Func<bool, Output> output)
    {
        var data = new Option<string>("--data") { Description = "CSV file with a header row.", Required = true };
        var columns = new Option<string>("--columns") { Description = "Comma-separated numeric columns to cluster on.", Required = true };
        var k = new Option<int?>("--k") { Description = "Number of segments (default 4 when --k-range is not given)." };
        var range = new Option<string?>("--k-range") { Description = "Try every k in MIN..MAX and keep the one with the highest silhouette, e.g. 2..8." };
        var restarts = new Option<int>("--restarts") { Description = "k-means++ starts per k; the lowest inertia wins.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same segments.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => 1 };
        var noStd = new Option<bool>("--no-standardize") { Description = "Cluster on raw values instead of z-scores." };
        var sample = new Option<int>("--silhouette-sample") { Description = "Rows sampled (seeded) for the silhouette.", DefaultValueFactory = _ => Silhouette.DefaultSampleSize };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("segment", "Segment rows with k-means on numeric columns; prints sizes, centroids in original units and the silhouette.")
            { data, columns, k, range, restarts, seed, threads, noStd, sample, json };
        cmd.SetAction((p, ct) => Task.FromResult(Run(p.GetValue(data)!, p.GetValue(columns)!, p.GetValue(k), p.GetValue(range), p.GetValue(restarts),
            p.GetValue(seed), p.GetValue(threads), !p.GetValue(noStd), p.GetValue(sample), output(p.GetValue(json)), ct)));
        return cmd;
    }

    internal static (int Min, int Max) ParseRange(string text)
    {
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], out int lo) && int.TryParse(parts[1], out int hi) && lo >= 2 && hi >= lo)
            return (lo, hi);
        throw new CliException($"--k-range must look like 2..8 (2 ≤ min ≤ max), not '{text}'.");
    }

    private static int Run(string dataPath, string columnList, int? k, string? range, int restarts, int seed, int threads, bool standardize,
        int sampleSize, Output io, CancellationToken ct)
    {
        if (k is not null && range is not null) throw new CliException("Give either --k or --k-range, not both.");
        if (k is < 1) throw new CliException("--k must be at least 1.");
        if (restarts < 1) throw new CliException("--restarts must be at least 1.");
        if (threads < 1) throw new CliException("--threads must be at least 1.");
        if (sampleSize < 10) throw new CliException("--silhouette-sample must be at least 10.");
        var table = CsvTable.Read(dataPath);
        var names = DatasetBuilder.ParseList(columnList);
        if (names.Count == 0) throw new CliException("--columns names no column.");
        var idx = names.Select(n => table.Require(n, "Segment")).ToArray();

        var rows = new List<double[]>(table.Rows.Count);
        var sourceRow = new List<int>(table.Rows.Count);
        int dropped = 0;
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var v = new double[idx.Length];
            bool missing = false;
            for (int j = 0; j < idx.Length; j++)
            {
                var cell = table.Rows[r][idx[j]];
                if (cell is null) { missing = true; continue; }
                if (!DatasetBuilder.TryParseNumber(cell, out v[j]))
                    throw new CliException($"Column '{names[j]}', row {r + 1} (line {r + 2}): '{cell}' is not a number; segments need numeric columns.");
            }
            if (missing) { dropped++; continue; }
            rows.Add(v);
            sourceRow.Add(r);
        }
        var (minK, maxK) = range is null ? (k ?? 4, k ?? 4) : ParseRange(range);
        if (rows.Count < Math.Max(2, maxK))
            throw new CliException($"Only {rows.Count} complete rows (after dropping {dropped} with missing values); k = {maxK} needs more.");

        var options = new KMeansOptions { K = minK, Restarts = restarts, Seed = seed, Threads = threads, Standardize = standardize };
        var sw = Stopwatch.StartNew();
        KMeansModel model;
        double? silhouette = null;
        double fitSeconds;
        IReadOnlyList<KCandidate>? candidates = null;
        if (range is null)
        {
            model = io.WithProgress($"k-means, k = {minK}", restarts, progress => KMeans.Fit(rows, options, progress, ct));
            fitSeconds = sw.Elapsed.TotalSeconds;
            if (minK >= 2) silhouette = Silhouette.Score(model, rows, sampleSize, seed);
        }
        else
        {
            var selection = io.WithProgress($"k-means, k = {minK}..{maxK}", maxK - minK + 1,
                progress => KSelector.Choose(rows, minK, maxK, options, sampleSize, progress, ct));
            fitSeconds = sw.Elapsed.TotalSeconds;
            model = selection.Best.Model;
            silhouette = selection.Best.Silhouette;
            candidates = selection.Candidates;
        }

        var centroids = model.Centroids();
        if (io.Json)
        {
            io.WriteJson(new
            {
                k = model.K, rows = rows.Count, droppedRows = dropped, columns = names, inertia = model.Inertia, silhouette,
                fitSeconds, iterations = model.Iterations, standardized = standardize,
                segments = Enumerable.Range(0, model.K).Select(c => new { segment = c + 1, size = model.Sizes[c], centroid = centroids[c] }),
                candidates = candidates?.Select(c => new { k = c.K, silhouette = c.Silhouette, inertia = c.Inertia }),
            });
            return 0;
        }

        io.Line($"k-means on {string.Join(", ", names)} of {table.Path}: {rows.Count} rows" + (dropped > 0 ? $" ({dropped} with missing values left out)" : "") +
                $", {(standardize ? "z-scored" : "raw values")}, {restarts} k-means++ starts, seed {seed}");
        if (candidates is not null)
        {
            var ct2 = new Table().Title("Choosing k by silhouette").AddColumns("k", "silhouette", "inertia");
            foreach (var c in candidates)
                ct2.AddRow((c.K == model.K ? "* " : "") + c.K, Output.F(c.Silhouette), Output.F(c.Inertia, "0.0"));
            io.Write(ct2);
        }
        var t = new Table().Title($"{model.K} segments (centroids in original units)").AddColumn("segment").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (var n in names) t.AddColumn(new TableColumn(Markup.Escape(n)).RightAligned());
        for (int c = 0; c < model.K; c++)
        {
            var cells = new List<string> { (c + 1).ToString(), model.Sizes[c].ToString(), Output.F(100.0 * model.Sizes[c] / rows.Count, "0.0") + "%" };
            cells.AddRange(centroids[c].Select(v => Output.F(v, Math.Abs(v) >= 1000 ? "#,0" : "0.###")));
            t.AddRow(cells.Select(x => new Text(x)).ToArray());
        }
        io.Write(t);
        io.Line($"Silhouette {(silhouette is double s ? Output.F(s) : "n/a (k = 1)")}; inertia {Output.F(model.Inertia, "0.0")}; fitted in {Output.F(fitSeconds, "0.00")} s");
        return 0;
    }
}
