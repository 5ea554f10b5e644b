using System.Net;
using System.Net.Http.Json;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Importing_a_file_with_broken_rows(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task Rejects_exactly_the_broken_rows_with_their_reasons_and_keeps_the_rest()
    {
        var csv = PortfolioCsv.File(
            PortfolioCsv.Row(1, loanId: "BR_1"),                                   // row 2: fine
            PortfolioCsv.Row(2, loanId: "BR_2", income: "fifty thousand"),        // row 3: bad number
            "BRW_3,41,Female,Salaried,52000,2,BR_3,250000,36,11.5,Personal,0,180000,8240.5,Delayed,1,30,Partially Recovered,3,Calls", // row 4: missing column
            PortfolioCsv.Row(4, loanId: "BR_4", loanType: "Yacht"),                // row 5: unknown category
            PortfolioCsv.Row(5, loanId: "BR_5", amount: "-1000"),                  // row 6: negative amount
            PortfolioCsv.Row(6, loanId: "BR_1"),                                   // row 7: duplicate loan id in the file
            PortfolioCsv.Row(7, loanId: "BR_7"));                                  // row 8: fine

        var result = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(csv));

        Assert.Equal(7, result.RowsRead);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(5, result.Rejected);
        Assert.Collection(result.Rejections,
            r => { Assert.Equal((3, "Monthly_Income"), (r.Row, r.Column)); Assert.Contains("'fifty thousand' is not a number", r.Reason); },
            r => { Assert.Equal((4, "Legal_Action_Taken"), (r.Row, r.Column)); Assert.Contains("20 fields", r.Reason); },
            r => { Assert.Equal((5, "Loan_Type"), (r.Row, r.Column)); Assert.Contains("'Yacht' is not one of", r.Reason); },
            r => { Assert.Equal((6, "Loan_Amount"), (r.Row, r.Column)); Assert.Contains("must be above 0", r.Reason); },
            r => { Assert.Equal((7, "Loan_ID"), (r.Row, r.Column)); Assert.Contains("already given on row 2", r.Reason); });

        var stored = await service.Database.ScalarAsync<string>("SELECT string_agg(loan_id, ',' ORDER BY loan_id) FROM ingestion.loan WHERE loan_id LIKE 'BR_%'");
        Assert.Equal("BR_1,BR_7", stored);
        // The first BR_1 (row 2, borrower BRW_1) won, not the duplicate on row 7.
        Assert.Equal("BRW_1", await service.Database.ScalarAsync<string>("SELECT borrower_id FROM ingestion.loan WHERE loan_id = 'BR_1'"));

        var page = await service.Http.GetFromJsonAsync<RejectionPageResult>($"/api/imports/{result.ImportId}/rejections?take=2");
        Assert.True(page!.More);
        Assert.Equal([3, 4], page.Items.Select(i => i.Row));
    }

    [Fact]
    public async Task An_unbalanced_quote_spoils_only_its_own_row_and_blank_lines_are_not_rows()
    {
        var csv = PortfolioCsv.File(
            PortfolioCsv.Row(40, loanId: "Q_1"),
            PortfolioCsv.Row(41, loanId: "Q_2").Replace("Salaried", "\"Salaried"),
            "   ",
            PortfolioCsv.Row(42, loanId: "Q_3"),
            PortfolioCsv.Row(43, loanId: "Q_4"));

        var result = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(csv));

        Assert.Equal((4, 3, 1), (result.RowsRead, result.Accepted, result.Rejected));
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(3, rejection.Row);
        Assert.Equal("Q_1,Q_3,Q_4", await service.Database.ScalarAsync<string>(
            "SELECT string_agg(loan_id, ',' ORDER BY loan_id) FROM ingestion.loan WHERE loan_id LIKE 'Q_%'"));
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_refused_whole_naming_the_column()
    {
        var csv = "Borrower_ID,Age\nBRW_1,40\n";

        var response = await service.ImportCsvAsync(csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemResult>();
        Assert.Contains("Loan_ID", problem!.Detail);
        Assert.Contains("Monthly_Income", problem.Detail);
    }

    [Fact]
    public async Task A_multipart_upload_is_imported_like_a_plain_body()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(PortfolioCsv.File(PortfolioCsv.Row(30, loanId: "MP_1"), PortfolioCsv.Row(31, loanId: "MP_2"))), "file", "upload.csv");

        var result = await IngestionFixture.ReadImportAsync(await service.Http.PostAsync("/api/imports", form));

        Assert.Equal(("upload.csv", 2, 2), (result.FileName, result.RowsRead, result.Accepted));
    }

    private sealed record RejectionPageResult(bool More, IReadOnlyList<ImportRejectionResult> Items);
    private sealed record ProblemResult(string? Title, string? Detail);
}
