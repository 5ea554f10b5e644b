using System.Text.Json;

namespace LoanRecovery.Cli.Tests;

public class Explaining_a_saved_model
{
    [Theory]
    [InlineData("gbdt")]
    [InlineData("forest")]
    public void Contributions_sum_to_the_raw_output(string model)
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("credit.csv"), 800);
        var modelFile = dir.File("model.json");
        var (exit, _, err) = Cli.Run("train", "--data", csv, "--label", "Status", "--positive", "Written Off", "--exclude", "Loan_ID",
            "--trees", "25", "--depth", "4", "--model", model, "--out", modelFile);
        Assert.True(exit == 0, err);
        Assert.True(File.Exists(modelFile));

        var (exit2, output, err2) = Cli.Run("explain", "--model", modelFile, "--data", csv, "--rows", "5", "--json");
        Assert.True(exit2 == 0, err2);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(5, rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            double sum = row.GetProperty("expectedValue").GetDouble();
            var contributions = row.GetProperty("contributions");
            Assert.Equal(5, contributions.GetArrayLength());
            foreach (var c in contributions.EnumerateArray()) sum += c.GetProperty("contribution").GetDouble();
            Assert.Equal(row.GetProperty("raw").GetDouble(), sum, 9);
        }

        var (exit3, text, _) = Cli.Run("explain", "--model", modelFile, "--data", csv, "--row", "3", "--top", "2");
        Assert.Equal(0, exit3);
        Assert.Contains("Row 3: score", text);
        Assert.Contains("3 others", text);
    }

    [Fact]
    public void A_data_file_without_the_model_columns_is_refused()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("credit.csv"), 400);
        var modelFile = dir.File("model.json");
        Assert.Equal(0, Cli.Run("train", "--data", csv, "--label", "Status", "--positive", "Written Off", "--exclude", "Loan_ID",
            "--trees", "5", "--out", modelFile).Exit);
        var other = TestData.Blobs(dir.File("blobs.csv"), 5);
        var (exit, _, err) = Cli.Run("explain", "--model", modelFile, "--data", other);
        Assert.NotEqual(0, exit);
        Assert.Contains("does not match the model", err);
        Assert.Contains("'Missed'", err);
        Assert.DoesNotContain("'Age'", err.Split("expects")[0]);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_refused()
    {
        using var dir = new TempDir();
        var bad = dir.File("bad.json");
        File.WriteAllText(bad, "{\"schemaVersion\": 99}");
        var csv = TestData.Credit(dir.File("credit.csv"), 50);
        var (exit, _, err) = Cli.Run("explain", "--model", bad, "--data", csv);
        Assert.NotEqual(0, exit);
        Assert.Contains("Cannot use model file", err);
    }
}

public class Segmenting_from_the_command_line
{
    [Fact]
    public void Finds_two_well_separated_blobs_and_reports_centroids_in_original_units()
    {
        using var dir = new TempDir();
        var csv = TestData.Blobs(dir.File("blobs.csv"));
        var (exit, output, err) = Cli.Run("segment", "--data", csv, "--columns", "Income,Age", "--k-range", "2..6", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(2, r.GetProperty("k").GetInt32());
        Assert.True(r.GetProperty("silhouette").GetDouble() > 0.8);
        var segments = r.GetProperty("segments").EnumerateArray()
            .Select(s => (Size: s.GetProperty("size").GetInt32(), Income: s.GetProperty("centroid")[0].GetDouble(), Age: s.GetProperty("centroid")[1].GetDouble()))
            .OrderBy(s => s.Income).ToArray();
        Assert.Equal([200, 200], segments.Select(s => s.Size));
        Assert.InRange(segments[0].Income, 24000, 26000);
        Assert.InRange(segments[1].Income, 89000, 91000);
        Assert.InRange(segments[0].Age, 29, 31);
        Assert.InRange(segments[1].Age, 57, 59);
        Assert.Equal(5, r.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public void Text_output_lists_sizes_centroids_and_silhouette()
    {
        using var dir = new TempDir();
        var csv = TestData.Blobs(dir.File("blobs.csv"));
        var (exit, output, err) = Cli.Run("segment", "--data", csv, "--columns", "Income,Age", "--k", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("2 segments (centroids in original units)", output);
        Assert.Contains("Silhouette 0.", output);
        Assert.Contains("50.0%", output);
    }
}
