using System.Text.Json;

namespace LoanRecovery.Cli.Tests;

public class Training_from_the_command_line
{
    private static readonly string[] Keys =
        ["auc", "aucLow", "aucHigh", "brier", "logLoss", "ks", "ece", "usable", "fitSeconds", "predictMicrosPerRow", "shapMicrosPerRow", "rows", "features"];

    [Fact]
    public void Json_output_parses_and_has_every_key()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("credit.csv"));
        var (exit, output, err) = Cli.Run("train", "--data", csv, "--label", "Status", "--positive", "Written Off",
            "--exclude", "Loan_ID", "--trees", "40", "--depth", "4", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        foreach (var key in Keys) Assert.True(doc.RootElement.TryGetProperty(key, out _), $"missing key {key}");
        var r = doc.RootElement;
        Assert.Equal(2000, r.GetProperty("rows").GetInt32());
        Assert.Equal(5, r.GetProperty("features").GetInt32());
        Assert.True(r.GetProperty("usable").GetBoolean(), r.GetProperty("verdict").GetString());
        Assert.InRange(r.GetProperty("auc").GetDouble(), 0.65, 1);
        Assert.True(r.GetProperty("aucLow").GetDouble() <= r.GetProperty("auc").GetDouble());
    }

    [Fact]
    public void Text_output_reports_metrics_timings_and_the_verdict_in_words()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("credit.csv"));
        var (exit, output, err) = Cli.Run("train", "--data", csv, "--label", "Status", "--negative", "Fully Recovered",
            "--exclude", "Loan_ID", "--trees", "30", "--model", "forest", "--depth", "8");
        Assert.True(exit == 0, err);
        Assert.Contains("AUC (95% CI, DeLong)", output);
        Assert.Contains("µs/row", output);
        Assert.Contains("TreeSHAP", output);
        Assert.Contains("Usable: holdout AUC", output);
    }

    [Fact]
    public void The_seed_file_under_honest_features_is_not_usable_and_says_so()
    {
        var seed = TestData.SeedFile();
        if (seed is null) Assert.Skip("The shared seed file loan-recovery.csv is not beside the repository (../shared/data) and LR_SHARED_DATA is not set.");
        var args = new[] { "train", "--data", seed, "--label", "Recovery_Status", "--positive", "Partially Recovered,Written Off",
            "--exclude", TestData.HonestExclude };
        var (exit, output, err) = Cli.Run(args);
        Assert.True(exit == 0, err);
        Assert.Contains("Not usable: holdout AUC", output);
        Assert.Contains("not distinguishable from chance", output);
        Assert.Contains("fall back to rules", output);

        var (exit2, json, err2) = Cli.Run([.. args, "--json"]);
        Assert.True(exit2 == 0, err2);
        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("usable").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("aucLow").GetDouble() <= 0.5);
        Assert.Equal(15, doc.RootElement.GetProperty("features").GetInt32());
    }

    [Fact]
    public void A_test_file_replaces_the_holdout_split()
    {
        using var dir = new TempDir();
        var train = TestData.Credit(dir.File("train.csv"), 1500, 3);
        var test = TestData.Credit(dir.File("test.csv"), 600, 4);
        var (exit, output, err) = Cli.Run("train", "--data", train, "--test", test, "--label", "Status", "--positive", "Written Off",
            "--exclude", "Loan_ID", "--trees", "20", "--calibration", "platt", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(600, doc.RootElement.GetProperty("holdoutRows").GetInt32());
        Assert.Equal(1500, doc.RootElement.GetProperty("trainRows").GetInt32());
    }

    [Fact]
    public void Cross_validation_reports_every_fold_and_the_pooled_auc()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("credit.csv"), 1200);
        var (exit, output, err) = Cli.Run("evaluate", "--data", csv, "--label", "Status", "--positive", "Written Off",
            "--exclude", "Loan_ID", "--folds", "3", "--trees", "20", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(3, doc.RootElement.GetProperty("folds").GetArrayLength());
        var pooled = doc.RootElement.GetProperty("pooled");
        Assert.True(pooled.GetProperty("aucLow").GetDouble() < pooled.GetProperty("auc").GetDouble());
        Assert.True(doc.RootElement.GetProperty("usable").GetBoolean());

        var (exit2, text, _) = Cli.Run("evaluate", "--data", csv, "--label", "Status", "--positive", "Written Off",
            "--exclude", "Loan_ID", "--folds", "3", "--trees", "20");
        Assert.Equal(0, exit2);
        Assert.Contains("Pooled out-of-fold AUC", text);
        Assert.Contains("Usable: cross-validated AUC", text);
    }
}
