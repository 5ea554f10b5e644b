using LoanRecovery.Ingestion.Consumers;
using Microsoft.Extensions.DependencyInjection;
using System.Text;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Core_banking_messages_over_AMQP(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string Loan =
        """
        {"loanId":"AM_1","borrowerId":"BRW_AM_1","age":38,"gender":"Male","employmentType":"Self-Employed","monthlyIncome":64000,
         "numDependents":1,"loanAmount":400000,"loanTenureMonths":48,"interestRate":12.5,"loanType":"Business","collateralValue":150000,
         "outstandingLoanAmount":320000,"monthlyEmi":10600,"openedOn":"2026-01-15"}
        """;

    private async Task OpenLoanAsync(string loanJson, string loanId)
    {
        var opened = await service.Probe.ListenAsync("LoanRecovery.Contracts.LoanOpened");
        await service.Probe.PublishRawAsync("core-banking", "loan", loanJson);
        var messages = await opened.WaitForAsync(1, Wait);
        Assert.Equal(loanId, messages[0].GetProperty("loanId").GetString());
    }

    [Fact]
    public async Task A_plain_JSON_payment_arrives_as_PaymentRecorded_with_its_delinquency_figures()
    {
        await OpenLoanAsync(Loan, "AM_1");
        var recorded = await service.Probe.ListenAsync("LoanRecovery.Contracts.PaymentRecorded");

        // February missed, March paid in full on the 10th: the money pays February first (oldest first), so March's
        // instalment is the one in arrears, 9 days after it fell due.
        await service.Probe.PublishRawAsync("core-banking", "payment",
            """{"paymentId":"AM_1-2026-02","loanId":"AM_1","dueDate":"2026-02-01","amountDue":10600,"amountPaid":0,"paidOn":null}""");
        await service.Probe.PublishRawAsync("core-banking", "payment",
            """{"paymentId":"AM_1-2026-03","loanId":"AM_1","dueDate":"2026-03-01","amountDue":10600,"amountPaid":10600,"paidOn":"2026-03-10"}""");

        var messages = await recorded.WaitForAsync(2, Wait);
        var march = messages.Single(m => m.GetProperty("paymentId").GetString() == "AM_1-2026-03");
        Assert.Equal("BRW_AM_1", march.GetProperty("borrowerId").GetString());
        Assert.Equal(9, march.GetProperty("daysPastDue").GetInt32());
        Assert.Equal(1, march.GetProperty("missedPayments").GetInt32());
        Assert.Equal(10600m, Money(march.GetProperty("arrearsAmount")));
        Assert.Equal(309400m, Money(march.GetProperty("outstandingBalance")));
    }

    [Fact]
    public async Task The_same_payment_id_twice_has_one_effect()
    {
        await OpenLoanAsync(Loan.Replace("AM_1", "AM_2"), "AM_2");
        var recorded = await service.Probe.ListenAsync("LoanRecovery.Contracts.PaymentRecorded");
        const string payment = """{"paymentId":"AM_2-P1","loanId":"AM_2","dueDate":"2026-02-01","amountDue":10600,"amountPaid":5000,"paidOn":"2026-02-03"}""";

        await service.Probe.PublishRawAsync("core-banking", "payment", payment);
        await service.Probe.PublishRawAsync("core-banking", "payment", payment);

        await recorded.WaitForAsync(1, Wait);
        var all = await recorded.SettleAsync(TimeSpan.FromSeconds(2));
        Assert.Single(all);
        Assert.Equal(1L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment WHERE loan_id = 'AM_2'"));
        Assert.Equal(315000m, await service.Database.ScalarAsync<decimal>("SELECT outstanding_balance FROM ingestion.loan WHERE loan_id = 'AM_2'"));
    }

    [Fact]
    public async Task Malformed_JSON_is_parked_in_the_error_queue_with_the_reason()
    {
        await service.Probe.PublishRawAsync("core-banking", "payment", "{\"paymentId\": \"AM-BROKEN\", \"loanId\": ");

        var parked = await WaitForErrorAsync(PaymentErrorQueues);

        Assert.Contains("AM-BROKEN", Encoding.UTF8.GetString(parked.Body.Span));
        Assert.NotNull(Header(parked, "MT-Fault-Message"));
    }

    [Fact]
    public async Task A_payment_failing_validation_is_parked_naming_each_bad_field()
    {
        await service.Probe.PublishRawAsync("core-banking", "payment",
            """{"paymentId":"AM-INVALID","loanId":"AM_1","amountDue":-5,"amountPaid":100,"paidOn":null}""");

        var parked = await WaitForErrorAsync([.. PaymentErrorQueues, "ingestion-core-banking-loan_error"], body => body.Contains("AM-INVALID"));

        var reason = Header(parked, "MT-Fault-Message")!;
        Assert.Contains("dueDate: is required", reason);
        Assert.Contains("amountDue: must not be negative", reason);
        Assert.Contains("paidOn: is required when amountPaid is above 0", reason);
        Assert.Equal(0L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment WHERE payment_id = 'AM-INVALID'"));
    }

    /// <summary>A payment that cannot be recorded is parked in its partition's <c>_error</c> queue.</summary>
    private string[] PaymentErrorQueues =>
        [.. service.Host.Services.GetRequiredService<PaymentPartitions>().QueueNames.Select(q => q + "_error")];

    private async Task<RabbitMQ.Client.BasicGetResult> WaitForErrorAsync(IReadOnlyList<string> queues, Func<string, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var name in queues)
            {
                var message = await service.Probe.GetAsync(name);
                if (message is not null && (match is null || match(Encoding.UTF8.GetString(message.Body.Span))))
                    return message;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Nothing parked in {string.Join(", ", queues)} within {Wait.TotalSeconds} s");
    }

    /// <summary>MassTransit writes decimals as JSON strings to keep their precision; plain JSON writes numbers.</summary>
    private static decimal Money(System.Text.Json.JsonElement value) =>
        value.ValueKind == System.Text.Json.JsonValueKind.String
            ? decimal.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : value.GetDecimal();

    private static string? Header(RabbitMQ.Client.BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
            : null;
}
