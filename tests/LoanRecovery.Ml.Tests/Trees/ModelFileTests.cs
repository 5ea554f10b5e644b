using System.Text;
using System.Text.Json.Nodes;
using LoanRecovery.Ml.Serialization;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Ml.Tests.Trees;

public class Model_files
{
    private static TreeEnsembleModel[] Models()
    {
        var train = TestData.Mixed(2000, seed: 21);
        var gbdt = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 40, MaxDepth = 5, RowSubsample = 0.8 });
        gbdt.Metrics["auc"] = 0.8123456789012345;
        gbdt.Metrics["undefined"] = double.NaN;
        var forest = RandomForestTrainer.Fit(train, new RandomForestOptions { Trees = 15, MinSamplesLeaf = 2 });
        return [gbdt, forest];
    }

    private static TreeEnsembleModel RoundTrip(TreeEnsembleModel model)
    {
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        stream.Position = 0;
        return ModelFile.Load(stream);
    }

    [Fact]
    public void Round_trip_gives_identical_predictions_and_explanations()
    {
        var check = TestData.Mixed(500, seed: 22);
        foreach (var model in Models())
        {
            var loaded = RoundTrip(model);
            Assert.Equal(model.Kind, loaded.Kind);
            Assert.True(model.Schema.SameAs(loaded.Schema));
            Assert.Equal(model.ExpectedValue, loaded.ExpectedValue);
            Assert.Equal(model.Metadata, loaded.Metadata);
            Assert.Equal(model.PredictRaw(check), loaded.PredictRaw(check));
            Assert.Equal(model.PredictProbability(check), loaded.PredictProbability(check));
            var a = new double[model.Schema.Count];
            var b = new double[model.Schema.Count];
            for (var r = 0; r < 50; r++)
            {
                model.Shap(check.GetRow(r), a);
                loaded.Shap(check.GetRow(r), b);
                Assert.Equal(a, b);
            }
            Assert.Equal(GradientBoosting.Serialize(model), GradientBoosting.Serialize(loaded));
        }
    }

    [Theory]
    [InlineData("isotonic")]
    [InlineData("platt")]
    public void Round_trip_keeps_the_calibrator(string kind)
    {
        var model = Models()[0];
        var holdout = TestData.Mixed(800, seed: 23);
        var p = model.PredictProbability(holdout);
        model.Calibrator = LoanRecovery.Ml.Calibration.Calibrators.Fit(kind, p, holdout.Labels.Select(l => (int)l).ToArray());
        var loaded = RoundTrip(model);
        Assert.Equal(kind, loaded.Calibrator!.Kind);
        Assert.Equal(model.PredictCalibrated(holdout), loaded.PredictCalibrated(holdout));
    }

    [Fact]
    public void Corrupted_json_is_refused_with_a_clear_message()
    {
        var text = GradientBoosting.Serialize(Models()[0]);
        var truncated = Encoding.UTF8.GetBytes(text[..(text.Length / 2)]);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(truncated)));
        Assert.Contains("not valid JSON", e.Message);

        var node = JsonNode.Parse(text)!;
        node["trees"]![0]!["left"]![0] = 0;
        e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Contains("Tree 0 is invalid", e.Message);

        node = JsonNode.Parse(text)!;
        node["trees"]![1]!["feature"]![0] = 99;
        e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Contains("feature 99", e.Message);

        node = JsonNode.Parse(text)!;
        node["kind"] = "NeuralNet";
        e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Contains("NeuralNet", e.Message);
    }

    [Fact]
    public void Unknown_schema_version_is_refused()
    {
        var node = JsonNode.Parse(GradientBoosting.Serialize(Models()[1]))!;
        node["schemaVersion"] = 7;
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Contains("schemaVersion 7 is not supported", e.Message);
    }

    [Fact]
    public void Scoring_data_with_other_features_is_refused()
    {
        var model = Models()[0];
        var specs = model.Schema.ToList();
        var renamed = new FeatureSchema(specs.Select(s => s.Name == "debt" ? s with { Name = "debts" } : s));
        var e = Assert.Throws<ModelFileException>(() => model.ValidateSchema(renamed));
        Assert.Contains("'debt'", e.Message);

        var recategorized = new FeatureSchema(specs.Select(s => s.Name == "channel" ? s with { Categories = ["web", "phone", "branch"] } : s));
        e = Assert.Throws<ModelFileException>(() => model.ValidateSchema(recategorized));
        Assert.Contains("channel", e.Message);

        var fewer = new FeatureSchema(specs.Take(3));
        Assert.Throws<ModelFileException>(() => model.ValidateSchema(fewer));
        model.ValidateSchema(new FeatureSchema(specs));
    }
}
