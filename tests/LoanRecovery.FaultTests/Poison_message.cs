using System.Text;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;

namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipe 7: in the middle of the second month core banking sends a payment that can never be processed
/// (well-formed, but for a loan Ingestion will never know): it is retried, then parked in the <c>_error</c> queue of the
/// loan's payment partition with the exception, with one <c>Fault&lt;CoreBankingPayment&gt;</c>; every other payment goes through.
/// </summary>
public sealed class Poison_message
{

    [Fact]
    public async Task Is_retried_then_parked_with_its_exception_and_one_fault_and_the_rest_is_processed()
    {
        await using var run = await PortfolioRun.StartAsync("FPSN");
        await run.SendLoansAsync();
        await run.SendMonthAsync(0);
        await run.WaitUntilRecordedAsync();

        var month = run.Stream.PaymentMessages(1).ToList();
        var poison = new CoreBankingMessage("FPSN_POISON_PMT", "FPSN_POISON_PMT", new CoreBankingPayment
        {
            PaymentId = "FPSN_POISON_PMT", LoanId = "FPSN_NO_SUCH_LOAN", DueDate = new DateOnly(2026, 2, 1), AmountDue = 100m, AmountPaid = 100m,
            PaidOn = new DateOnly(2026, 2, 1),
        });
        run.PaymentsSent.UnionWith(month.Select(m => m.Key));
        await run.Sender.SendAsync("payment", month.Take(month.Count / 2).Append(poison).Concat(month.Skip(month.Count / 2)));
        await run.WaitUntilRecordedAsync();
        await run.SendMonthAsync(2);
        await run.WaitUntilRecordedAsync();

        var report = await run.CheckAsync("a payment for a loan that does not exist, sent in the middle of month 2");

        // The broker picked the loan's partition (a consistent hash of its routing key): the one _error queue holding a message.
        var errorQueue = Assert.Single(report.Parked).Key;
        Assert.Matches("^ingestion-core-banking-payment-p[0-9]+_error$", errorQueue);
        FaultAssert.NothingLostOrDuplicated(report, new Dictionary<string, uint> { [errorQueue] = 1 });
        Assert.Single(report.Heard("PaymentFault"), f => f.Key == "FPSN_POISON_PMT");
        Assert.Equal(0L, await run.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment WHERE payment_id = 'FPSN_POISON_PMT'"));
        await using var probe = await RabbitProbe.ConnectAsync(run.Pipeline.VirtualHost.Name);
        var parked = await probe.GetAsync(errorQueue);
        Assert.NotNull(parked);
        Assert.Contains("FPSN_POISON_PMT", Encoding.UTF8.GetString(parked.Body.Span));
        Assert.Contains("FPSN_NO_SUCH_LOAN", Header(parked, "MT-Fault-Message"));
        Assert.Equal("UnknownLoanException", Header(parked, "MT-Fault-ExceptionType")?.Split('.').Last());
        // Retried at every interval of the policy before it was parked.
        Assert.Equal("3", Header(parked, "MT-Fault-RetryCount"));
    }

    private static string? Header(RabbitMQ.Client.BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
}
