using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Testing;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>
/// Thousands of malformed CSV rows and JSON bodies, generated from valid ones by seeded mutations that each break one
/// rule: every CSV row gets its own specific error (row and column), the valid rest is kept; every JSON body gets a
/// problem naming the field (or the body, or the content type) and the specific reason; and the service stays up and
/// keeps serving.
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
    public async Task An_import_sent_as_JSON_gets_415_naming_the_content_types_the_import_accepts()
    {
        var request = new MalformedRequest("an import sent as JSON", Encoding.UTF8.GetBytes(PortfolioCsv.File(PortfolioCsv.Row(1))), "application/json",
            415, "Content-Type", "must be text/csv or multipart/form-data (was 'application/json')");

        await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/api/imports", request.Content()), request);
    }

    private static readonly JsonField[] PaymentFields =
    [
        new("paymentId", JsonFieldKind.Text), new("loanId", JsonFieldKind.Text), new("dueDate", JsonFieldKind.Date),
        new("amountDue", JsonFieldKind.Number), new("amountPaid", JsonFieldKind.Number), new("paidOn", JsonFieldKind.Date),
    ];

    private static readonly JsonField[] LoanFields =
    [
        new("loanId", JsonFieldKind.Text), new("borrowerId", JsonFieldKind.Text), new("age", JsonFieldKind.WholeNumber),
        new("gender", JsonFieldKind.Text), new("employmentType", JsonFieldKind.Text), new("monthlyIncome", JsonFieldKind.Number),
        new("numDependents", JsonFieldKind.WholeNumber), new("loanAmount", JsonFieldKind.Number), new("loanTenureMonths", JsonFieldKind.WholeNumber),
        new("interestRate", JsonFieldKind.Number), new("loanType", JsonFieldKind.Text), new("collateralValue", JsonFieldKind.Number),
        new("outstandingLoanAmount", JsonFieldKind.Number), new("monthlyEmi", JsonFieldKind.Number), new("openedOn", JsonFieldKind.Date),
    ];

    private const string ValidLoan =
        """{"loanId":"FP_PAY","borrowerId":"BRW_FP_PAY","age":45,"gender":"Female","employmentType":"Salaried","monthlyIncome":80000,"numDependents":2,"loanAmount":600000,"loanTenureMonths":60,"interestRate":9.5,"loanType":"Home","collateralValue":900000,"outstandingLoanAmount":500000,"monthlyEmi":12600,"openedOn":"2026-01-15"}""";

    /// <summary>
    /// Sends each request and asserts the problem it gets names the field (or the body, or the content type) and the
    /// specific reason; returns how many of each kind were sent.
    /// </summary>
    private async Task<Dictionary<string, int>> SendAllAsync(string path, IEnumerable<(string Kind, MalformedRequest Request)> requests)
    {
        var sent = new Dictionary<string, int>();
        foreach (var (kind, request) in requests)
        {
            using var response = await service.Http.PostAsync(path, request.Content());
            await ProblemAssert.RefusedAsync(response, request);
            sent[kind] = sent.GetValueOrDefault(kind) + 1;
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", sent.Select(s => $"{s.Key}: {s.Value}")));
        return sent;
    }

    /// <summary>A mix of the generic breakages and the service's own rules, in turn, from a fixed seed.</summary>
    private static IEnumerable<(string Kind, MalformedRequest Request)> Mix(MalformedJson bodies, Func<Random, MalformedRequest>[] rules, int count, int seed)
    {
        var random = new Random(seed);
        (string Kind, Func<Random, MalformedRequest> Make)[] generators =
        [
            ("cut short", bodies.Truncated), ("random bytes", MalformedJson.RandomBytes), ("wrong kind", bodies.WrongKind),
            ("out of range", bodies.OutOfRange), ("rule broken", r => rules[r.Next(rules.Length)](r)),
        ];
        foreach (var request in bodies.WholeRequest(MaxJsonBodyBytes))
            yield return ("whole request", request);
        for (var i = 0; i < count; i++)
        {
            var (kind, make) = generators[i % generators.Length];
            yield return (kind, make(random));
        }
    }

    /// <summary>The services' default limit on a JSON body (ServiceDefaults, <c>Http:MaxRequestBodyBytes</c>).</summary>
    private const long MaxJsonBodyBytes = 1024 * 1024;

    [Fact]
    public async Task A_thousand_malformed_payment_bodies_each_get_a_problem_naming_the_field_and_why_and_the_service_keeps_recording()
    {
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsync("/api/loans", new StringContent(ValidLoan, Encoding.UTF8, "application/json"))).StatusCode);
        const string valid = """{"paymentId":"FP_PAY-1","loanId":"FP_PAY","dueDate":"2026-05-01","amountDue":12600,"amountPaid":12600,"paidOn":"2026-05-01"}""";
        var bodies = new MalformedJson(valid, PaymentFields);
        // The payment rules (CoreBankingRules), each broken alone; the reasons are the service's own.
        Func<Random, MalformedRequest>[] rules =
        [
            _ => bodies.With("dueDate missing", "dueDate", null, 400, "is required"),
            _ => bodies.With("loanId blank", "loanId", "\"  \"", 400, "is required"),
            _ => bodies.With("paymentId null", "paymentId", "null", 400, "is required"),
            r => bodies.With("paymentId too long", "paymentId", $"\"{new string('p', 201 + r.Next(5000))}\"", 400, "is longer than 200 characters"),
            _ => bodies.With("paymentId with a control character", "paymentId", "\"FP\\u0007PAY\"", 400, "contains control characters"),
            r => bodies.With("amountDue negative", "amountDue", $"-{r.Next(1, 100_000)}", 400, "must not be negative"),
            _ => bodies.With("amountPaid negative", "amountPaid", "-0.01", 400, "must not be negative"),
            _ => bodies.With("paid without a date", "paidOn", "null", 400, "is required when amountPaid is above 0"),
            r => bodies.With("unknown loan", "loanId", $"\"FP_UNKNOWN_{r.Next(1000)}\"", 400, "is not known"),
        ];

        var sent = await SendAllAsync("/api/payments", Mix(bodies, rules, 1000, seed: 7));

        Assert.Equal(1000 + bodies.WholeRequest(MaxJsonBodyBytes).Count(), sent.Values.Sum());
        Assert.Equal(0, await service.Database.ScalarAsync<int>("SELECT count(*) FROM ingestion.payment WHERE loan_id = 'FP_PAY'"));
        // Still up, and a valid payment is recorded.
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
        var ok = await service.Http.PostAsync("/api/payments", new StringContent(valid, Encoding.UTF8, "application/json"));
        Assert.True(ok.StatusCode == HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
        Assert.Equal(1, await service.Database.ScalarAsync<int>("SELECT count(*) FROM ingestion.payment WHERE loan_id = 'FP_PAY'"));
    }

    [Fact]
    public async Task Five_hundred_malformed_loan_bodies_each_get_a_problem_naming_the_field_and_why_and_no_loan_is_opened()
    {
        var valid = ValidLoan.Replace("FP_PAY", "FL_LOAN");
        var bodies = new MalformedJson(valid, LoanFields);
        Func<Random, MalformedRequest>[] rules =
        [
            r => bodies.With("age under 18", "age", r.Next(0, 18).ToString(), 400, "must be between 18 and 120"),
            _ => bodies.With("gender unknown", "gender", "\"Robot\"", 400, "'Robot' is not one of: "),
            _ => bodies.With("loan type missing", "loanType", null, 400, "is required"),
            _ => bodies.With("loan amount zero", "loanAmount", "0", 400, "must be above 0"),
            r => bodies.With("interest rate over 100", "interestRate", (100.01 + r.Next(1000)).ToString(System.Globalization.CultureInfo.InvariantCulture), 400,
                "must be between 0 and 100"),
            _ => bodies.With("dependents over 30", "numDependents", "31", 400, "must be between 0 and 30"),
            r => bodies.With("borrower id too long", "borrowerId", $"\"{new string('b', 201 + r.Next(3000))}\"", 400, "is longer than 200 characters"),
            r => bodies.With("monthly income negative", "monthlyIncome", $"-{r.Next(1, 9999)}", 400, "must not be negative"),
        ];

        var sent = await SendAllAsync("/api/loans", Mix(bodies, rules, 500, seed: 11));

        Assert.Equal(500 + bodies.WholeRequest(MaxJsonBodyBytes).Count(), sent.Values.Sum());
        Assert.Equal(0, await service.Database.ScalarAsync<int>("SELECT count(*) FROM ingestion.loan WHERE loan_id = 'FL_LOAN'"));
        var ok = await service.Http.PostAsync("/api/loans", new StringContent(valid, Encoding.UTF8, "application/json"));
        Assert.True(ok.StatusCode == HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
    }
}
