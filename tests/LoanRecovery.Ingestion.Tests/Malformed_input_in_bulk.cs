using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>
/// Thousands of malformed CSV rows and JSON bodies, generated from valid ones by seeded mutations that each break one
/// rule: every CSV row gets its own specific error (row and column), the valid rest is kept; every JSON body gets a 400
/// problem; and the service stays up and keeps serving.
/// </summary>
public sealed class Malformed_input_in_bulk(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    private const int Rows = 3000;

    /// <summary>A mutation of a valid row: the column it breaks and how.</summary>
    private static readonly (string Column, Func<string[], Random, string[]> Break)[] RowMutations =
    [
        ("Monthly_Income", (f, r) => Set(f, 4, "income-" + r.Next(1000))),
        ("Age", (f, r) => Set(f, 1, "-" + r.Next(1, 90))),
        ("Loan_Amount", (f, r) => Set(f, 7, "-" + r.Next(1, 1_000_000))),
        ("Loan_Type", (f, r) => Set(f, 10, "Spaceship" + r.Next(100))),
        ("Employment_Type", (f, r) => Set(f, 3, new string('x', 300 + r.Next(2000)))),
        ("Interest_Rate", (f, r) => Set(f, 9, "1e400")),
        (MissingColumns, (f, r) => f[..^(1 + r.Next(5))]),
        ("Payment_History", (f, r) => Set(f, 14, "Sometimes")),
        ("Num_Missed_Payments", (f, r) => Set(f, 15, r.Next(2) == 0 ? "several" : "3.5")),   // blank is allowed: not known
    ];

    /// <summary>Fields dropped from the end: the rejection names the first column missing.</summary>
    private const string MissingColumns = "(first missing column)";

    private static string[] Set(string[] fields, int index, string value)
    {
        var copy = (string[])fields.Clone();
        copy[index] = value;
        return copy;
    }

    [Fact]
    public async Task Every_broken_csv_row_of_thousands_is_rejected_with_its_row_and_column_and_every_valid_row_kept()
    {
        var random = new Random(2026);
        var lines = new List<string>(Rows);
        var broken = new Dictionary<int, string>();   // file row number (header is row 1) -> the column it breaks
        for (var i = 0; i < Rows; i++)
        {
            var fields = PortfolioCsv.Row(10_000 + i, loanId: $"FZ_{i}").Split(',');
            if (i % 10 != 0)
            {
                var (column, mutate) = RowMutations[random.Next(RowMutations.Length)];
                fields = mutate(fields, random);
                broken[i + 2] = column == MissingColumns ? PortfolioCsv.Header.Split(',')[fields.Length] : column;
            }
            lines.Add(string.Join(',', fields));
        }

        var result = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(PortfolioCsv.File([.. lines])));

        Assert.Equal(Rows, result.RowsRead);
        Assert.Equal(broken.Count, result.Rejected);
        Assert.Equal(Rows - broken.Count, result.Accepted);
        Assert.Equal(Rows - broken.Count, await service.Database.ScalarAsync<int>("SELECT count(*) FROM ingestion.loan WHERE loan_id LIKE 'FZ\\_%'"));
        // Every rejection, read back page by page, names the row and the column the mutation broke, with a reason.
        var rejections = new List<JsonElement>();
        for (var skip = 0; ; skip += 500)
        {
            var page = await service.Http.GetFromJsonAsync<JsonElement>($"/api/imports/{result.ImportId}/rejections?skip={skip}&take=500");
            rejections.AddRange(page.GetProperty("items").EnumerateArray());
            if (!page.GetProperty("more").GetBoolean())
                break;
        }
        Assert.Equal(broken.Count, rejections.Count);
        Assert.All(rejections, r =>
        {
            var row = r.GetProperty("row").GetInt32();
            Assert.True(broken.TryGetValue(row, out var column), $"row {row} was valid but rejected: {r}");
            Assert.Equal(column, r.GetProperty("column").GetString());
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("reason").GetString()));
        });
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_thousand_malformed_payment_bodies_each_get_a_400_problem_and_the_service_keeps_recording()
    {
        var loan = new
        {
            loanId = "FP_PAY", borrowerId = "BRW_FP_PAY", age = 45, gender = "Female", employmentType = "Salaried", monthlyIncome = 80000m,
            numDependents = 2, loanAmount = 600000m, loanTenureMonths = 60, interestRate = 9.5m, loanType = "Home",
            collateralValue = 900000m, outstandingLoanAmount = 500000m, monthlyEmi = 12600m,
        };
        Assert.True((await service.Http.PostAsJsonAsync("/api/loans", loan)).IsSuccessStatusCode);
        const string valid = """{"paymentId":"FP_PAY-1","loanId":"FP_PAY","dueDate":"2026-05-01","amountDue":12600,"amountPaid":12600,"paidOn":"2026-05-01"}""";
        // Values that no field of a payment accepts (a payment id or a blank paid-on date could be valid, so those are left).
        string[] fields = ["loanId", "dueDate", "amountDue", "amountPaid", "paidOn"];
        string[] badValues = ["\"\"", "-5", "\"yesterday\"", "[]", "{}", "1e999", "\"" + new string('z', 5000) + "\"", "true"];
        var random = new Random(7);
        var statuses = new Dictionary<string, int>();
        for (var i = 0; i < 1000; i++)
        {
            string body;
            switch (i % 3)
            {
                case 0:   // cut short: not JSON at all
                    body = valid[..random.Next(1, valid.Length - 1)];
                    break;
                case 1:   // one field with a value of the wrong kind
                    var field = fields[random.Next(fields.Length)];
                    using (var document = JsonDocument.Parse(valid))
                    {
                        var parts = document.RootElement.EnumerateObject()
                            .Select(p => $"\"{p.Name}\":{(p.Name == field ? badValues[random.Next(badValues.Length)] : p.Value.GetRawText())}");
                        body = "{" + string.Join(',', parts) + "}";
                    }
                    break;
                default:  // random bytes
                    var bytes = new byte[random.Next(1, 200)];
                    random.NextBytes(bytes);
                    body = Encoding.Latin1.GetString(bytes);
                    break;
            }
            using var response = await service.Http.PostAsync("/api/payments", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var kind = problem.TryGetProperty("errors", out _) ? "names the field" : "generic";
            statuses[kind] = statuses.GetValueOrDefault(kind) + 1;
        }
        // Bodies that bind but break a rule name the field; bodies that are not JSON, or whose values are not of the
        // field's kind, get ASP.NET Core's generic 400 (the binder's message is logged, not returned).
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.GetValueOrDefault("names the field") > 0, string.Join(", ", statuses));

        // Still up, and a valid payment is recorded.
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
        var ok = await service.Http.PostAsync("/api/payments", new StringContent(valid.Replace("FP_PAY-1", "FP_PAY-2"), Encoding.UTF8, "application/json"));
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
    }
}
