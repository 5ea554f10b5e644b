using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Loans_and_payments_over_HTTP(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    private static object Loan(string loanId) => new
    {
        loanId, borrowerId = "BRW_" + loanId, age = 45, gender = "Female", employmentType = "Salaried", monthlyIncome = 80000m,
        numDependents = 2, loanAmount = 600000m, loanTenureMonths = 60, interestRate = 9.5m, loanType = "Home",
        collateralValue = 900000m, outstandingLoanAmount = 500000m, monthlyEmi = 12600m,
    };

    [Fact]
    public async Task A_loan_with_payments_is_served_with_its_history_and_current_delinquency()
    {
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync("/api/loans", Loan("HT_1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsJsonAsync("/api/loans", Loan("HT_1"))).StatusCode);

        var payments = new object[]
        {
            new { paymentId = "HT_1-1", loanId = "HT_1", dueDate = "2026-05-01", amountDue = 12600m, amountPaid = 12600m, paidOn = "2026-05-01" },
            new { paymentId = "HT_1-2", loanId = "HT_1", dueDate = "2026-06-01", amountDue = 12600m, amountPaid = 0m, paidOn = (string?)null },
            new { paymentId = "HT_1-3", loanId = "HT_1", dueDate = "2026-07-01", amountDue = 12600m, amountPaid = 6000m, paidOn = "2026-07-05" },
        };
        foreach (var payment in payments)
            Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync("/api/payments", payment)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsJsonAsync("/api/payments", payments[1])).StatusCode);

        var loan = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/HT_1");

        var delinquency = loan.GetProperty("delinquency");
        Assert.Equal(34, delinquency.GetProperty("daysPastDue").GetInt32()); // June unpaid, as of 5 July
        Assert.Equal(1, delinquency.GetProperty("missedPayments").GetInt32());
        Assert.Equal(19200m, delinquency.GetProperty("arrearsAmount").GetDecimal());
        Assert.Equal(481400m, delinquency.GetProperty("outstandingBalance").GetDecimal());
        Assert.True(delinquency.GetProperty("isDelinquent").GetBoolean());
        Assert.Equal(["HT_1-1", "HT_1-2", "HT_1-3"], loan.GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("paymentId").GetString()));
    }

    [Fact]
    public async Task An_invalid_loan_gets_problem_details_naming_each_bad_field()
    {
        var response = await service.Http.PostAsJsonAsync("/api/loans", new { loanId = "HT_BAD", age = 12, gender = "Robot", loanAmount = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("must be between 18 and 120", errors.GetProperty("age")[0].GetString());
        Assert.Contains("'Robot' is not one of", errors.GetProperty("gender")[0].GetString());
        Assert.Contains("must be above 0", errors.GetProperty("loanAmount")[0].GetString());
        Assert.Equal("is required", errors.GetProperty("borrowerId")[0].GetString());
        Assert.Equal("is required", errors.GetProperty("monthlyEmi")[0].GetString());
    }

    [Fact]
    public async Task A_payment_for_an_unknown_loan_is_refused_naming_the_loan()
    {
        var response = await service.Http.PostAsJsonAsync("/api/payments",
            new { paymentId = "HT_X-1", loanId = "NO_SUCH_LOAN", dueDate = "2026-05-01", amountDue = 100m, amountPaid = 100m, paidOn = "2026-05-01" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("NO_SUCH_LOAN", errors.GetProperty("loanId")[0].GetString());
    }

    [Fact]
    public async Task Reconciliation_names_the_loans_and_payments_not_recorded_in_the_order_asked()
    {
        foreach (var id in new[] { "RC_1", "RC_2" })
            Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync("/api/loans", Loan(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync("/api/payments",
            new { paymentId = "RC_1-1", loanId = "RC_1", dueDate = "2026-05-01", amountDue = 12600m, amountPaid = 12600m, paidOn = "2026-05-01" })).StatusCode);

        var response = await service.Http.PostAsJsonAsync("/api/reconciliation",
            new { loanIds = new[] { "RC_9", "RC_1", "RC_2", "RC_1" }, paymentIds = new[] { "RC_2-1", "RC_1-1", "RC_1-2" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, result.GetProperty("loansAsked").GetInt32()); // RC_1 asked twice counts once
        Assert.Equal(2, result.GetProperty("loansRecorded").GetInt32());
        Assert.Equal(["RC_9"], result.GetProperty("missingLoanIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, result.GetProperty("paymentsAsked").GetInt32());
        Assert.Equal(1, result.GetProperty("paymentsRecorded").GetInt32());
        Assert.Equal(["RC_2-1", "RC_1-2"], result.GetProperty("missingPaymentIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_reconciliation_without_ids_with_an_empty_id_or_over_the_limit_is_refused_saying_why()
    {
        var empty = await service.Http.PostAsJsonAsync("/api/reconciliation", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("at least one id", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("loanIds")[0].GetString());

        var blank = await service.Http.PostAsJsonAsync("/api/reconciliation", new { paymentIds = new[] { "P-1", " ", new string('x', 300) } });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var errors = (await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("must not be empty", errors.GetProperty("paymentIds[1]")[0].GetString());
        Assert.Equal("must be at most 200 characters", errors.GetProperty("paymentIds[2]")[0].GetString());
        Assert.False(errors.TryGetProperty("paymentIds[0]", out _));

        var tooMany = await service.Http.PostAsJsonAsync("/api/reconciliation",
            new { loanIds = Enumerable.Range(0, 6_000).Select(i => $"L{i}"), paymentIds = Enumerable.Range(0, 4_001).Select(i => $"P{i}") });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        var problem = await tooMany.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10_000, problem.GetProperty("maxReconciliationIds").GetInt32());
        Assert.Contains("10001", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_loan_is_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync("/api/loans/NOPE")).StatusCode);
    }

    [Fact]
    public async Task The_service_is_ready_and_serves_its_OpenAPI_document()
    {
        var ready = await service.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var openApi = await service.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/imports", "/api/loans", "/api/loans/{loanId}", "/api/payments", "/api/reconciliation" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
