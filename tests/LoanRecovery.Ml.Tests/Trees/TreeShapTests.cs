using LoanRecovery.Ml.Explain;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Ml.Tests.Trees;

public class TreeShap
{
    /// <summary>Path-dependent conditional expectation of one tree: features in S follow the row,
    /// others split the weight by cover fractions.</summary>
    private static double Conditional(DecisionTree tree, int node, ReadOnlySpan<double> row, int subset)
    {
        if (tree.IsLeaf(node)) return tree.Value[node];
        var f = tree.Feature[node];
        if ((subset & (1 << f)) != 0)
            return Conditional(tree, tree.GoesLeft(node, row) ? tree.Left[node] : tree.Right[node], row, subset);
        var (zl, zr) = tree.CoverFractions(node);
        return zl * Conditional(tree, tree.Left[node], row, subset) + zr * Conditional(tree, tree.Right[node], row, subset);
    }

    private static double[] BruteForce(TreeEnsembleModel model, double[] row)
    {
        var m = model.Schema.Count;
        var value = new double[1 << m];
        for (var s = 0; s < value.Length; s++)
        {
            var sum = 0.0;
            foreach (var tree in model.Trees) sum += Conditional(tree, 0, row, s);
            value[s] = model.Bias + model.TreeScale * sum;
        }
        var factorial = new double[m + 1];
        factorial[0] = 1;
        for (var i = 1; i <= m; i++) factorial[i] = factorial[i - 1] * i;
        var phi = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var s = 0; s < value.Length; s++)
            {
                if ((s & (1 << i)) != 0) continue;
                var size = System.Numerics.BitOperations.PopCount((uint)s);
                var weight = factorial[size] * factorial[m - size - 1] / factorial[m];
                phi[i] += weight * (value[s | (1 << i)] - value[s]);
            }
        }
        return phi;
    }

    private static IEnumerable<TreeEnsembleModel> SmallModels()
    {
        var data = TestData.Mixed(1500, seed: 3);
        yield return GradientBoostingTrainer.Fit(data, null, new GradientBoostingOptions { Trees = 8, MaxDepth = 4, Seed = 1 });
        yield return GradientBoostingTrainer.Fit(data, null, new GradientBoostingOptions
        {
            Trees = 5, MaxDepth = 5, CategoricalMode = CategoricalMode.OneHot, RowSubsample = 0.7, ColSubsample = 0.8, Seed = 2,
        });
        yield return RandomForestTrainer.Fit(data, new RandomForestOptions { Trees = 6, MaxDepth = 6, MinSamplesLeaf = 5, Seed = 3 });
    }

    [Fact]
    public void Equals_brute_force_Shapley_values_on_small_trees()
    {
        var data = TestData.Mixed(60, seed: 11);
        foreach (var model in SmallModels())
        {
            var phi = new double[model.Schema.Count];
            for (var r = 0; r < data.RowCount; r++)
            {
                var row = data.GetRow(r);
                model.Shap(row, phi);
                var expected = BruteForce(model, row);
                for (var f = 0; f < phi.Length; f++)
                    Assert.True(Math.Abs(expected[f] - phi[f]) < 1e-9, $"{model.Kind} row {r} feature {f}: {phi[f]} vs brute force {expected[f]}");
            }
        }
    }

    [Fact]
    public void Long_paths_without_tables_give_the_same_values_as_tables()
    {
        var data = TestData.Mixed(40, seed: 12);
        foreach (var model in SmallModels())
        {
            var withTables = new TreeShapExplainer(model.Trees, model.Schema.Count);
            var direct = new TreeShapExplainer(model.Trees, model.Schema.Count, tableDepth: 0);
            for (var r = 0; r < data.RowCount; r++)
            {
                var row = data.GetRow(r);
                var a = new double[model.Schema.Count];
                var b = new double[model.Schema.Count];
                withTables.Explain(row, a);
                direct.Explain(row, b);
                for (var f = 0; f < a.Length; f++) Assert.True(Math.Abs(a[f] - b[f]) < 1e-9, $"row {r} feature {f}: {a[f]} vs {b[f]}");
            }
        }
    }

    [Fact]
    public void A_table_memory_budget_mixes_tables_and_direct_computation_with_the_same_values()
    {
        var data = TestData.Mixed(40, seed: 13);
        foreach (var model in SmallModels())
        {
            var withTables = new TreeShapExplainer(model.Trees, model.Schema.Count);
            // Room for a few leaves' tables only: the rest fall back to the per-row computation.
            var budgeted = new TreeShapExplainer(model.Trees, model.Schema.Count, tableBudget: 64);
            for (var r = 0; r < data.RowCount; r++)
            {
                var row = data.GetRow(r);
                var a = new double[model.Schema.Count];
                var b = new double[model.Schema.Count];
                withTables.Explain(row, a);
                budgeted.Explain(row, b);
                for (var f = 0; f < a.Length; f++) Assert.True(Math.Abs(a[f] - b[f]) < 1e-9, $"row {r} feature {f}: {a[f]} vs {b[f]}");
            }
        }
    }

    [Fact]
    public void Additivity_holds_on_every_row_of_trained_models()
    {
        var train = TestData.Nonlinear(3000, seed: 5, missingRate: 0.05);
        var check = TestData.Nonlinear(500, seed: 6, missingRate: 0.05);
        TreeEnsembleModel[] models =
        [
            GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 60, MaxDepth = 6, Seed = 4 }),
            RandomForestTrainer.Fit(train, new RandomForestOptions { Trees = 20, Seed = 4 }),
        ];
        foreach (var model in models)
        {
            var phi = new double[model.Schema.Count];
            for (var r = 0; r < check.RowCount; r++)
            {
                var row = check.GetRow(r);
                model.Shap(row, phi);
                var sum = model.ExpectedValue;
                foreach (var p in phi) sum += p;
                var raw = model.PredictRaw(row);
                Assert.True(Math.Abs(sum - raw) < 1e-9, $"{model.Kind} row {r}: {sum} vs {raw}");
            }
        }
    }

    [Fact]
    public void Global_importance_ranks_signal_above_noise()
    {
        var train = TestData.Nonlinear(3000, seed: 7);
        var model = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 50, MaxDepth = 4 });
        var importance = model.GlobalImportance(train.Subset(Enumerable.Range(0, 300).ToArray()));
        Assert.True(importance[0] > importance[5] && importance[0] > importance[6]);
        Assert.True(importance[4] > importance[5] && importance[4] > importance[6]);
    }
}
