using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.Ml.Tests.Trees;

/// <summary>Generated data sets whose truth is known.</summary>
internal static class TestData
{
    /// <summary>Label from a non-linear function of 5 numeric features plus 2 noise features, little label noise.</summary>
    public static Dataset Nonlinear(int rows, int seed, double missingRate = 0)
    {
        var rng = new Random(seed);
        var f = 7;
        var cols = new double[f][];
        for (var j = 0; j < f; j++) cols[j] = new double[rows];
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < f; j++) cols[j][r] = rng.NextDouble() * 4 - 2;
            var x = new double[f];
            for (var j = 0; j < f; j++) x[j] = cols[j][r];
            var logit = 3 * Math.Sin(2 * x[0]) + 2 * x[1] * x[2] - 1.5 * (x[3] * x[3] - 1.3) + (x[4] > 0.5 ? 2 : -1);
            var p = 1 / (1 + Math.Exp(-3 * logit));
            labels[r] = rng.NextDouble() < p ? 1 : 0;
            for (var j = 0; j < f; j++)
            {
                if (missingRate > 0 && rng.NextDouble() < missingRate) cols[j][r] = double.NaN;
            }
        }
        var schema = new FeatureSchema(Enumerable.Range(0, f).Select(j => new FeatureSpec($"x{j}", FeatureKind.Numeric)));
        return new Dataset(schema, cols, labels);
    }

    /// <summary>Mixed data: numeric, categorical and missing values, for SHAP and file tests.</summary>
    public static Dataset Mixed(int rows, int seed)
    {
        var rng = new Random(seed);
        var cats = new[] { "a", "b", "c", "d", "e" };
        var schema = new FeatureSchema([
            new FeatureSpec("income", FeatureKind.Numeric),
            new FeatureSpec("age", FeatureKind.Numeric),
            new FeatureSpec("region", FeatureKind.Categorical, cats),
            new FeatureSpec("debt", FeatureKind.Numeric),
            new FeatureSpec("channel", FeatureKind.Categorical, ["web", "branch", "phone"]),
            new FeatureSpec("noise", FeatureKind.Numeric),
        ]);
        var cols = new double[6][];
        for (var j = 0; j < 6; j++) cols[j] = new double[rows];
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var income = rng.NextDouble() * 10;
            var age = 20 + rng.Next(50);
            var region = rng.Next(cats.Length);
            var debt = rng.NextDouble() * 5;
            var channel = rng.Next(3);
            var logit = 0.6 * (debt - 2.5) - 0.4 * (income - 5) + (region is 1 or 3 ? 1.2 : -0.5) + (channel == 2 ? 0.8 : 0) + 0.02 * (age - 45);
            labels[r] = rng.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
            cols[0][r] = rng.NextDouble() < 0.1 ? double.NaN : income;
            cols[1][r] = age;
            cols[2][r] = rng.NextDouble() < 0.05 ? double.NaN : region;
            cols[3][r] = debt;
            cols[4][r] = channel;
            cols[5][r] = rng.NextDouble() < 0.2 ? double.NaN : rng.NextDouble();
        }
        return new Dataset(schema, cols, labels);
    }

    public static double Auc(double[] scores, double[] labels)
    {
        var y = labels.Select(l => (int)l).ToArray();
        return LoanRecovery.Ml.Evaluation.Auc.Value(scores, y);
    }
}
