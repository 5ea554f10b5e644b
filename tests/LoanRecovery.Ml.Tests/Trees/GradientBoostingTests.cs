using System.Text;
using LoanRecovery.Ml.Serialization;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Ml.Tests.Trees;

public class GradientBoosting
{
    [Fact]
    public void Learns_a_known_nonlinear_function()
    {
        var train = TestData.Nonlinear(6000, seed: 1);
        var test = TestData.Nonlinear(2000, seed: 2);
        var model = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 150, MaxDepth = 5, LearningRate = 0.1 });
        var auc = TestData.Auc(model.PredictProbability(test), test.Labels);
        Assert.True(auc > 0.95, $"AUC {auc}");
    }

    [Fact]
    public void Stops_early_on_the_validation_set_and_keeps_the_best_trees()
    {
        var train = TestData.Nonlinear(2000, seed: 3);
        var valid = TestData.Nonlinear(1000, seed: 4);
        var model = GradientBoostingTrainer.Fit(train, valid, new GradientBoostingOptions
        {
            Trees = 2000, MaxDepth = 6, LearningRate = 0.3, EarlyStoppingRounds = 10,
        });
        Assert.True(model.TreeCount < 2000, $"{model.TreeCount} trees");
        Assert.Equal(int.Parse(model.Metadata["treesBuilt"]) - 10, model.TreeCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Monotone_constraints_hold_on_a_grid(int direction)
    {
        var train = TestData.Nonlinear(3000, seed: 5, missingRate: 0.03);
        var constraints = new int[train.FeatureCount];
        constraints[0] = direction;   // x0 enters through sin(2 x0): not monotone in truth
        constraints[3] = -direction;
        var model = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions
        {
            Trees = 80, MaxDepth = 5, MonotoneConstraints = constraints, RowSubsample = 0.8, ColSubsample = 0.8,
        });
        var rng = new Random(9);
        foreach (var feature in new[] { 0, 3 })
        {
            var sign = constraints[feature];
            for (var probe = 0; probe < 30; probe++)
            {
                var row = train.GetRow(rng.Next(train.RowCount));
                var previous = double.NaN;
                for (var g = 0; g <= 200; g++)
                {
                    row[feature] = -2.2 + 4.4 * g / 200;
                    var p = model.PredictRaw(row);
                    if (!double.IsNaN(previous))
                        Assert.True(sign * (p - previous) >= -1e-12, $"feature {feature} at {row[feature]}: {previous} -> {p}");
                    previous = p;
                }
            }
        }
    }

    [Fact]
    public void Missing_values_go_to_the_side_that_predicts_better()
    {
        // income is missing for most defaulters: missingness itself carries the signal
        var rng = new Random(3);
        var n = 4000;
        var income = new double[n];
        var other = new double[n];
        var labels = new double[n];
        for (var r = 0; r < n; r++)
        {
            labels[r] = rng.NextDouble() < 0.3 ? 1 : 0;
            var value = rng.NextDouble() * 100;
            income[r] = labels[r] == 1 ? (rng.NextDouble() < 0.8 ? double.NaN : value) : (rng.NextDouble() < 0.05 ? double.NaN : value);
            other[r] = rng.NextDouble();
        }
        var schema = new FeatureSchema([new FeatureSpec("income", FeatureKind.Numeric), new FeatureSpec("other", FeatureKind.Numeric)]);
        var data = new Dataset(schema, [income, other], labels);
        var model = GradientBoostingTrainer.Fit(data, null, new GradientBoostingOptions { Trees = 30, MaxDepth = 2 });
        var missing = model.PredictProbability([double.NaN, 0.5]);
        foreach (var v in new[] { 1.0, 25, 50, 75, 99 })
            Assert.True(missing > model.PredictProbability([v, 0.5]) + 0.3, $"missing {missing} vs {v}");
        Assert.True(TestData.Auc(model.PredictProbability(data), labels) > 0.8);
    }

    [Fact]
    public void Native_categorical_splits_learn_a_category_driven_label()
    {
        var rng = new Random(8);
        var categories = Enumerable.Range(0, 16).Select(i => $"c{i}").ToArray();
        var bad = new HashSet<int> { 1, 4, 6, 9, 10, 15 };
        var n = 3000;
        var col = new double[n];
        var labels = new double[n];
        for (var r = 0; r < n; r++)
        {
            var c = rng.Next(categories.Length);
            col[r] = c;
            labels[r] = rng.NextDouble() < (bad.Contains(c) ? 0.9 : 0.1) ? 1 : 0;
        }
        var schema = new FeatureSchema([new FeatureSpec("segment", FeatureKind.Categorical, categories)]);
        var data = new Dataset(schema, [col], labels);
        // a single stump: only a native split can put all six bad categories on one side
        var native = GradientBoostingTrainer.Fit(data, null, new GradientBoostingOptions { Trees = 1, MaxDepth = 1, LearningRate = 1 });
        var leftSet = native.Trees[0].CategoriesLeft[0]!;
        var isolated = leftSet.All(bad.Contains) ? leftSet.Length == bad.Count : leftSet.All(c => !bad.Contains(c)) && leftSet.Length == 16 - bad.Count;
        Assert.True(isolated, $"left categories: {string.Join(",", leftSet)}");
        for (var c = 0; c < 16; c++)
        {
            var p = native.PredictProbability([c]);
            Assert.True(bad.Contains(c) ? p > 0.5 : p < 0.5, $"category {c}: {p}");
        }
        var oneHot = GradientBoostingTrainer.Fit(data, null, new GradientBoostingOptions { Trees = 1, MaxDepth = 1, LearningRate = 1, CategoricalMode = CategoricalMode.OneHot });
        Assert.Single(oneHot.Trees[0].CategoriesLeft[0]!);
    }

    [Fact]
    public void Is_deterministic_for_a_seed()
    {
        var train = TestData.Mixed(2000, seed: 9);
        var options = new GradientBoostingOptions { Trees = 30, MaxDepth = 5, RowSubsample = 0.7, ColSubsample = 0.6, Seed = 17, MaxLeaves = 12 };
        var a = Serialize(GradientBoostingTrainer.Fit(train, null, options));
        var b = Serialize(GradientBoostingTrainer.Fit(train, null, options));
        var threaded = Serialize(GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions
        {
            Trees = 30, MaxDepth = 5, RowSubsample = 0.7, ColSubsample = 0.6, Seed = 17, MaxLeaves = 12, Threads = 2,
        }));
        var other = Serialize(GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions
        {
            Trees = 30, MaxDepth = 5, RowSubsample = 0.7, ColSubsample = 0.6, Seed = 18, MaxLeaves = 12,
        }));
        Assert.Equal(a, b);
        Assert.Equal(a, threaded);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void Max_leaves_limits_every_tree()
    {
        var train = TestData.Nonlinear(2000, seed: 10);
        var model = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 10, MaxDepth = 8, MaxLeaves = 7 });
        foreach (var tree in model.Trees)
        {
            Assert.True(tree.Feature.Count(f => f < 0) <= 7);
        }
    }

    internal static string Serialize(TreeEnsembleModel model)
    {
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

public class RandomForest
{
    [Fact]
    public void Learns_the_same_nonlinear_function()
    {
        var train = TestData.Nonlinear(6000, seed: 1);
        var test = TestData.Nonlinear(2000, seed: 2);
        var model = RandomForestTrainer.Fit(train, new RandomForestOptions { Trees = 60, MinSamplesLeaf = 3, MaxFeatures = 0.5 });
        var auc = TestData.Auc(model.PredictProbability(test), test.Labels);
        Assert.True(auc > 0.9, $"AUC {auc}");
    }

    [Fact]
    public void Is_deterministic_for_a_seed_whatever_the_thread_count()
    {
        var train = TestData.Mixed(1500, seed: 4);
        var a = GradientBoosting.Serialize(RandomForestTrainer.Fit(train, new RandomForestOptions { Trees = 10, Seed = 5 }));
        var b = GradientBoosting.Serialize(RandomForestTrainer.Fit(train, new RandomForestOptions { Trees = 10, Seed = 5, Threads = 2 }));
        Assert.Equal(a, b);
    }
}
