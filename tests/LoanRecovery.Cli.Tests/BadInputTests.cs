namespace LoanRecovery.Cli.Tests;

public class Bad_input
{
    private static (int Exit, string Err) Train(string csv, params string[] extra)
    {
        var (exit, _, err) = Cli.Run(["train", "--data", csv, "--trees", "5", .. extra]);
        return (exit, err);
    }

    [Fact]
    public void A_missing_label_column_is_named()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("c.csv"), 100);
        var (exit, err) = Train(csv, "--label", "Outcome");
        Assert.NotEqual(0, exit);
        Assert.Contains("Label column 'Outcome' is not in", err);
    }

    [Fact]
    public void A_one_class_label_is_refused()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("c.csv"), 100);
        var (exit, err) = Train(csv, "--label", "Status", "--positive", "Written Off,Fully Recovered");
        Assert.NotEqual(0, exit);
        Assert.Contains("'Status' has one class only", err);
    }

    [Fact]
    public void Text_in_a_numeric_column_names_the_column_and_row()
    {
        using var dir = new TempDir();
        var path = TestData.Credit(dir.File("c.csv"), 100);
        var lines = File.ReadAllLines(path);
        var cells = lines[17].Split(',');
        cells[1] = "forty";                       // Age of data row 17
        lines[17] = string.Join(',', cells);
        File.WriteAllLines(path, lines);
        var (exit, err) = Train(path, "--label", "Status", "--positive", "Written Off");
        Assert.NotEqual(0, exit);
        Assert.Contains("Column 'Age', row 17", err);
        Assert.Contains("'forty' is not a number", err);
    }

    [Fact]
    public void An_unknown_excluded_column_is_named()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("c.csv"), 100);
        var (exit, err) = Train(csv, "--label", "Status", "--positive", "Written Off", "--exclude", "Loan_ID,Borrower_Id");
        Assert.NotEqual(0, exit);
        Assert.Contains("Excluded column 'Borrower_Id' is not in", err);
    }

    [Fact]
    public void A_label_value_that_never_occurs_is_named()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("c.csv"), 100);
        var (exit, err) = Train(csv, "--label", "Status", "--positive", "Writen Off");
        Assert.NotEqual(0, exit);
        Assert.Contains("'Writen Off' never occurs in column 'Status'", err);
    }

    [Fact]
    public void A_text_label_without_positive_values_names_the_row()
    {
        using var dir = new TempDir();
        var csv = TestData.Credit(dir.File("c.csv"), 100);
        var (exit, err) = Train(csv, "--label", "Status");
        Assert.NotEqual(0, exit);
        Assert.Contains("Label column 'Status', row 1", err);
        Assert.Contains("--positive", err);
    }

    [Fact]
    public void A_ragged_row_and_a_missing_file_are_reported()
    {
        using var dir = new TempDir();
        var path = dir.File("r.csv");
        File.WriteAllText(path, "a,b,y\n1,2,0\n3,4\n5,6,1\n");
        var (exit, err) = Train(path, "--label", "y");
        Assert.NotEqual(0, exit);
        Assert.Contains("row 2", err);
        var (exit2, err2) = Train(dir.File("nope.csv"), "--label", "y");
        Assert.NotEqual(0, exit2);
        Assert.Contains("does not exist", err2);
    }

    [Fact]
    public void Unknown_segment_columns_and_text_cells_are_named()
    {
        using var dir = new TempDir();
        var csv = TestData.Blobs(dir.File("b.csv"), 20);
        var (exit, _, err) = Cli.Run("segment", "--data", csv, "--columns", "Income,Height");
        Assert.NotEqual(0, exit);
        Assert.Contains("Segment column 'Height' is not in", err);
        var (exit2, _, err2) = Cli.Run("segment", "--data", csv, "--columns", "Income,Name");
        Assert.NotEqual(0, exit2);
        Assert.Contains("Column 'Name', row 1", err2);
    }

    [Fact]
    public void Unknown_options_fail()
    {
        var (exit, _, _) = Cli.Run("train", "--dta", "x.csv");
        Assert.NotEqual(0, exit);
    }
}
