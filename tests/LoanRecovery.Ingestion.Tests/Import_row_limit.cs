using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>Ingestion with a small row limit, so that a file over it is a few dozen rows.</summary>
public sealed class SmallRowLimitIngestion : IngestionFixture
{
    public const int MaxRows = 50;

    protected override Dictionary<string, string?> Settings => new() { ["Ingestion:MaxImportRows"] = MaxRows.ToString() };
}

/// <summary>
/// An import holds at most <c>Ingestion:MaxImportRows</c> data rows: a file with more is refused whole, with 413 naming
/// the limit and the first row over it, and nothing of it is imported (one import is one transaction; the operator
/// splits the file and imports the parts, which has the same effect as one import).
/// </summary>
public sealed class Import_row_limit(SmallRowLimitIngestion service) : IClassFixture<SmallRowLimitIngestion>
{
    private const int Max = SmallRowLimitIngestion.MaxRows;

    private static string[] Rows(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => PortfolioCsv.Row(20_000 + i, loanId: $"{prefix}_{i}")).ToArray();

    private Task<int> LoansAsync(string prefix) =>
        service.Database.ScalarAsync<int>($"SELECT count(*)::int FROM ingestion.loan WHERE loan_id LIKE '{prefix}\\_%'");

    [Fact]
    public async Task A_file_with_one_row_over_the_limit_is_refused_whole_naming_the_limit_and_nothing_is_imported()
    {
        var importsBefore = await service.Database.ScalarAsync<int>("SELECT count(*)::int FROM ingestion.import_run");
        var outboxBefore = await service.Database.ScalarAsync<int>("SELECT count(*)::int FROM ingestion.outbox_message");

        var response = await service.ImportCsvAsync(PortfolioCsv.File(Rows("RL_OVER", Max + 1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Too many rows", problem.GetProperty("title").GetString());
        Assert.Equal(Max, problem.GetProperty("maxImportRows").GetInt32());
        // The header is row 1, so the 51st data row is row 52 of the file.
        Assert.StartsWith($"The file has more than {Max} rows, the most one import accepts (Ingestion:MaxImportRows); row {Max + 2} is the first over it. " +
                          "Nothing was imported;", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await LoansAsync("RL_OVER"));
        Assert.Equal(importsBefore, await service.Database.ScalarAsync<int>("SELECT count(*)::int FROM ingestion.import_run"));
        Assert.Equal(outboxBefore, await service.Database.ScalarAsync<int>("SELECT count(*)::int FROM ingestion.outbox_message"));
    }

    [Fact]
    public async Task A_file_of_exactly_the_limit_is_imported_and_blank_lines_are_not_counted_as_rows()
    {
        var rows = Rows("RL_EXACT", Max).SelectMany((row, i) => i % 10 == 0 ? new[] { "", row } : [row]).ToArray();

        var result = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(PortfolioCsv.File(rows)));

        Assert.Equal(Max, result.RowsRead);
        Assert.Equal(Max, result.Accepted);
        Assert.Equal(Max, await LoansAsync("RL_EXACT"));
    }

    [Fact]
    public async Task The_parts_of_a_file_split_at_the_limit_import_one_after_another()
    {
        var rows = Rows("RL_SPLIT", Max + 20);

        var first = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(PortfolioCsv.File(rows[..Max])));
        var second = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(PortfolioCsv.File(rows[Max..])));

        Assert.Equal(Max, first.Accepted);
        Assert.Equal(20, second.Accepted);
        Assert.Equal(Max + 20, await LoansAsync("RL_SPLIT"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_limit_below_one_row_is_refused_at_start_naming_the_setting(int maxRows)
    {
        var options = new IngestionOptions { MaxImportRows = maxRows };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(IngestionOptions.MaxImportRows)));
    }
}
