namespace LoanRecovery.Ml.Tests.Data;

public class Building_a_dataset_from_text
{
    private static readonly string[] Header = ["loan_id", "income", "region", "defaulted"];

    [Fact]
    public void Infers_numeric_and_categorical_columns_and_reads_empty_cells_as_missing()
    {
        string?[][] rows =
        [
            ["1", "1200.5", "north", "1"],
            ["2", "", "south", "0"],
            ["3", "800", "", "yes"],
        ];
        var data = Dataset.FromRows(Header, rows, "defaulted", featureColumns: ["income", "region"]);
        Assert.Equal(FeatureKind.Numeric, data.Schema[0].Kind);
        Assert.Equal(FeatureKind.Categorical, data.Schema[1].Kind);
        Assert.Equal(["north", "south"], data.Schema[1].Categories!);
        Assert.True(double.IsNaN(data.Columns[0][1]));
        Assert.True(double.IsNaN(data.Columns[1][2]));
        Assert.Equal(1.0, data.Columns[1][1]);
        Assert.Equal([1.0, 0.0, 1.0], data.Labels);
    }

    [Fact]
    public void A_bad_cell_in_a_numeric_column_names_the_column_and_row()
    {
        string?[][] rows =
        [
            ["1", "1200", "north", "1"],
            ["2", "12OO", "south", "0"],
        ];
        var e = Assert.Throws<DatasetFormatException>(() => Dataset.FromRows(Header, rows, "defaulted",
            featureColumns: ["income", "region"], kinds: new Dictionary<string, FeatureKind> { ["income"] = FeatureKind.Numeric }));
        Assert.Equal("income", e.Column);
        Assert.Equal(2, e.Row);
        Assert.Contains("column 'income', row 2", e.Message);
    }

    [Fact]
    public void Reuses_a_schema_for_scoring_and_maps_unknown_categories_to_missing()
    {
        string?[][] train = [["1", "10", "north", "1"], ["2", "20", "south", "0"]];
        var first = Dataset.FromRows(Header, train, "defaulted", featureColumns: ["income", "region"]);
        string?[][] later = [["3", "5", "west", "0"], ["4", "7", "south", "1"]];
        var second = Dataset.FromRows(Header, later, "defaulted", schema: first.Schema);
        Assert.Same(first.Schema, second.Schema);
        Assert.True(double.IsNaN(second.Columns[1][0]));
        Assert.Equal(1.0, second.Columns[1][1]);
    }
}
