using System.Globalization;

namespace LoanRecovery.Ml.Trees;

/// <summary>Trains a random forest of Gini classification trees (bootstrap rows, random features per split).</summary>
public static class RandomForestTrainer
{
    /// <summary>Fits a model; <c>progress</c> receives the number of trees built so far.</summary>
    public static RandomForestModel Fit(Dataset train, RandomForestOptions options,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.RowCount == 0) throw new ArgumentException("The training set has no rows.", nameof(train));
        if (train.FeatureCount == 0) throw new ArgumentException("The training set has no features.", nameof(train));

        var n = train.RowCount;
        var featureCount = train.FeatureCount;
        var layout = BinLayout.Fit(train, options.MaxBins);
        var bins = layout.Apply(train);
        var perNode = options.MaxFeatures == 0
            ? Math.Max(1, (int)Math.Sqrt(featureCount))
            : Math.Max(1, (int)Math.Round(featureCount * options.MaxFeatures));
        var settings = new GrowerSettings
        {
            MaxDepth = options.MaxDepth ?? 512,
            L2 = 0,
            MinChildWeight = options.MinSamplesLeaf,
            ForestLeaves = true,
            CategoricalMode = CategoricalMode.Native,
            CategoricalSmoothing = 0,
            FeaturesPerNode = perNode,
            Threads = 1,
        };
        var master = new Random(options.Seed);
        var seeds = new int[options.Trees];
        for (var t = 0; t < seeds.Length; t++) seeds[t] = master.Next();
        var allFeatures = Enumerable.Range(0, featureCount).ToArray();
        var trees = new DecisionTree[options.Trees];
        var done = 0;

        void BuildRange(int from, int to)
        {
            var grower = new TreeGrower(layout, bins, n, settings);
            var grad = new double[n];
            var hess = new double[n];
            var counts = new int[n];
            for (var t = from; t < to; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rng = new Random(seeds[t]);
                Array.Clear(counts);
                if (options.Bootstrap)
                {
                    for (var i = 0; i < n; i++) counts[rng.Next(n)]++;
                }
                else
                {
                    Array.Fill(counts, 1);
                }
                var rows = grower.Rows;
                var count = 0;
                for (var r = 0; r < n; r++)
                {
                    var c = counts[r];
                    var w = c * train.Weight(r);
                    grad[r] = w * train.Labels[r];
                    hess[r] = w;
                    if (c > 0 && w > 0) rows[count++] = r;
                }
                if (count == 0)
                {
                    rows[0] = 0;
                    hess[0] = 1;
                    grad[0] = train.Labels[0];
                    count = 1;
                }
                trees[t] = grower.Grow(grad, hess, count, allFeatures, rng);
                var d = Interlocked.Increment(ref done);
                progress?.Report(d);
            }
        }

        if (options.Threads <= 1)
        {
            BuildRange(0, options.Trees);
        }
        else
        {
            var chunks = Math.Min(options.Threads, options.Trees);
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken },
                c => BuildRange(options.Trees * c / chunks, options.Trees * (c + 1) / chunks));
        }

        var edges = new double[]?[featureCount];
        for (var f = 0; f < featureCount; f++) edges[f] = layout.Categorical[f] ? null : layout.Edges[f];
        var model = new RandomForestModel(train.Schema, trees, edges);
        var inv = CultureInfo.InvariantCulture;
        model.Metadata["algorithm"] = "random-forest";
        model.Metadata["trainRows"] = n.ToString(inv);
        model.Metadata["trees"] = options.Trees.ToString(inv);
        model.Metadata["maxDepth"] = options.MaxDepth?.ToString(inv) ?? "";
        model.Metadata["minSamplesLeaf"] = options.MinSamplesLeaf.ToString(inv);
        model.Metadata["featuresPerSplit"] = perNode.ToString(inv);
        model.Metadata["bootstrap"] = options.Bootstrap ? "true" : "false";
        model.Metadata["maxBins"] = options.MaxBins.ToString(inv);
        model.Metadata["seed"] = options.Seed.ToString(inv);
        return model;
    }
}
