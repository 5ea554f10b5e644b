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
        foreach (var path in new[] { "/api/imports", "/api/loans", "/api/loans/{loanId}", "/api/payments" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
