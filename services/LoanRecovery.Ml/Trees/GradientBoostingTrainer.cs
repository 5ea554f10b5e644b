using System.Globalization;

namespace LoanRecovery.Ml.Trees;

/// <summary>Trains gradient-boosted trees with logistic loss on histogram-binned features.</summary>
public static class GradientBoostingTrainer
{
    /// <summary>Fits a model; <c>progress</c> receives the number of trees built so far.</summary>
    public static GradientBoostedModel Fit(Dataset train, Dataset? validation, GradientBoostingOptions options,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var featureCount = train.FeatureCount;
        options.Validate(featureCount);
        if (train.RowCount == 0) throw new ArgumentException("The training set has no rows.", nameof(train));
        if (featureCount == 0) throw new ArgumentException("The training set has no features.", nameof(train));
        if (validation is not null)
        {
            var difference = train.Schema.Difference(validation.Schema);
            if (difference is not null) throw new ArgumentException($"Validation features differ from training features: {difference}.", nameof(validation));
        }
        if (options.EarlyStoppingRounds is not null && (validation is null || validation.RowCount == 0))
            throw new ArgumentException("EarlyStoppingRounds needs a non-empty validation set.", nameof(validation));

        var n = train.RowCount;
        var layout = BinLayout.Fit(train, options.MaxBins);
        var bins = layout.Apply(train);
        var labels = train.Labels;
        var weights = train.Weights;

        double sw = 0, swy = 0;
        for (var r = 0; r < n; r++)
        {
            var w = train.Weight(r);
            sw += w;
            swy += w * labels[r];
        }
        if (!(sw > 0)) throw new ArgumentException("The training rows have zero total weight.", nameof(train));
        var prior = Math.Clamp(swy / sw, 1e-6, 1 - 1e-6);
        var baseScore = Math.Log(prior / (1 - prior));

        sbyte[]? monotone = null;
        if (options.MonotoneConstraints is { } mc && mc.Any(c => c != 0))
        {
            monotone = new sbyte[featureCount];
            for (var f = 0; f < featureCount; f++)
            {
                if (mc[f] != 0 && layout.Categorical[f])
                    throw new ArgumentException($"Monotone constraint on categorical feature '{train.Schema[f].Name}' is not supported.");
                monotone[f] = (sbyte)mc[f];
            }
        }

        var settings = new GrowerSettings
        {
            MaxDepth = options.MaxDepth,
            MaxLeaves = options.MaxLeaves ?? int.MaxValue,
            L2 = options.L2,
            MinChildWeight = options.MinChildWeight,
            MinSplitGain = options.MinSplitGain,
            LearningRate = options.LearningRate,
            Monotone = monotone,
            CategoricalMode = options.CategoricalMode,
            CategoricalSmoothing = options.CategoricalSmoothing,
            Threads = options.Threads,
        };
        var grower = new TreeGrower(layout, bins, n, settings);
        var rng = new Random(options.Seed);
        var raw = new double[n];
        Array.Fill(raw, baseScore);
        var grad = new double[n];
        var hess = new double[n];
        var inSample = options.RowSubsample < 1 ? new bool[n] : null;
        var allFeatures = Enumerable.Range(0, featureCount).ToArray();
        var featureOrder = (int[])allFeatures.Clone();
        var colCount = Math.Max(1, (int)Math.Round(featureCount * options.ColSubsample));

        // validation rows, row-major
        double[]? valRows = null;
        double[]? valRaw = null;
        if (validation is not null && validation.RowCount > 0)
        {
            valRows = new double[validation.RowCount * featureCount];
            for (var r = 0; r < validation.RowCount; r++) validation.CopyRow(r, valRows.AsSpan(r * featureCount, featureCount));
            valRaw = new double[validation.RowCount];
            Array.Fill(valRaw, baseScore);
        }
        var bestLoss = double.PositiveInfinity;
        var bestCount = 0;
        var trees = new List<DecisionTree>(options.Trees);

        for (var t = 0; t < options.Trees; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var r = 0; r < n; r++)
            {
                var p = GradientBoostedModel.Sigmoid(raw[r]);
                var w = weights is null ? 1.0 : weights[r];
                grad[r] = (p - labels[r]) * w;
                hess[r] = Math.Max(p * (1 - p), 1e-16) * w;
            }
            var rows = grower.Rows;
            int count;
            if (inSample is not null)
            {
                count = 0;
                for (var r = 0; r < n; r++)
                {
                    var take = rng.NextDouble() < options.RowSubsample;
                    inSample[r] = take;
                    if (take) rows[count++] = r;
                }
                if (count == 0)
                {
                    rows[0] = 0;
                    inSample[0] = true;
                    count = 1;
                }
            }
            else
            {
                count = n;
                for (var r = 0; r < n; r++) rows[r] = r;
            }
            int[] active;
            if (colCount < featureCount)
            {
                for (var i = 0; i < colCount; i++)
                {
                    var j = i + rng.Next(featureCount - i);
                    (featureOrder[i], featureOrder[j]) = (featureOrder[j], featureOrder[i]);
                }
                active = featureOrder[..colCount];
                Array.Sort(active);
            }
            else
            {
                active = allFeatures;
            }

            var tree = grower.Grow(grad, hess, count, active, rng);
            trees.Add(tree);
            foreach (var (node, start, c) in grower.Leaves)
            {
                var v = tree.Value[node];
                for (var i = start; i < start + c; i++) raw[rows[i]] += v;
            }
            if (inSample is not null)
            {
                for (var r = 0; r < n; r++)
                {
                    if (!inSample[r]) raw[r] += tree.Value[grower.LeafOfBinnedRow(r)];
                }
            }

            if (valRaw is not null)
            {
                var loss = 0.0;
                var totalWeight = 0.0;
                for (var r = 0; r < valRaw.Length; r++)
                {
                    valRaw[r] += tree.Predict(valRows.AsSpan(r * featureCount, featureCount));
                    var w = validation!.Weight(r);
                    var y = validation.Labels[r];
                    var z = valRaw[r];
                    // log(1 + e^z) - y z, computed stably
                    loss += w * ((z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z))) - y * z);
                    totalWeight += w;
                }
                loss = totalWeight > 0 ? loss / totalWeight : 0;
                if (loss < bestLoss - 1e-12)
                {
                    bestLoss = loss;
                    bestCount = trees.Count;
                }
                else if (options.EarlyStoppingRounds is { } rounds && trees.Count - bestCount >= rounds)
                {
                    progress?.Report(trees.Count);
                    break;
                }
            }
            progress?.Report(trees.Count);
        }

        var built = trees.Count;
        if (options.EarlyStoppingRounds is not null && bestCount > 0 && bestCount < trees.Count)
        {
            trees.RemoveRange(bestCount, trees.Count - bestCount);
        }

        var edges = new double[]?[featureCount];
        for (var f = 0; f < featureCount; f++) edges[f] = layout.Categorical[f] ? null : layout.Edges[f];
        var model = new GradientBoostedModel(train.Schema, trees, baseScore, edges);
        var inv = CultureInfo.InvariantCulture;
        model.Metadata["algorithm"] = "gradient-boosting";
        model.Metadata["trainRows"] = n.ToString(inv);
        model.Metadata["validationRows"] = (validation?.RowCount ?? 0).ToString(inv);
        model.Metadata["treesBuilt"] = built.ToString(inv);
        model.Metadata["treesKept"] = trees.Count.ToString(inv);
        if (valRaw is not null) model.Metadata["bestValidationLogLoss"] = bestLoss.ToString("R", inv);
        model.Metadata["maxDepth"] = options.MaxDepth.ToString(inv);
        model.Metadata["maxLeaves"] = options.MaxLeaves?.ToString(inv) ?? "";
        model.Metadata["learningRate"] = options.LearningRate.ToString("R", inv);
        model.Metadata["l2"] = options.L2.ToString("R", inv);
        model.Metadata["minChildWeight"] = options.MinChildWeight.ToString("R", inv);
        model.Metadata["rowSubsample"] = options.RowSubsample.ToString("R", inv);
        model.Metadata["colSubsample"] = options.ColSubsample.ToString("R", inv);
        model.Metadata["maxBins"] = options.MaxBins.ToString(inv);
        model.Metadata["categoricalMode"] = options.CategoricalMode.ToString();
        model.Metadata["monotoneConstraints"] = options.MonotoneConstraints is null ? "" : string.Join(",", options.MonotoneConstraints);
        model.Metadata["seed"] = options.Seed.ToString(inv);
        return model;
    }
}
