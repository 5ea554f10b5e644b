using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipe 4: Ingestion's outbox relay dies after the broker confirmed a batch of PaymentRecorded events and
/// before it marked the rows sent (mid-stream, in the second month). Its host is disposed there (the relay's transaction
/// rolls back, the rows stay unsent) and a fresh Ingestion starts on the same database: its relay publishes the batch again
/// with the same message ids, and Segmentation, RiskScoring, StrategyAssignment and PerformanceTracking absorb the second
/// copies in their inboxes.
/// </summary>
public sealed class Relay_killed_between_confirm_and_mark
{
    [Fact]
    public async Task The_batch_is_published_again_with_the_same_message_ids_and_absorbed_downstream()
    {
        // Ingestion on a broker user of its own, removed when it is killed: the connection dies with the process, as in a
        // real crash, instead of an in-process bus reconnecting and consuming payments with a disposed container.
        await using var run = await PortfolioRun.StartAsync("FRLY", Service.Ingestion);
        var brokerUser = await run.Pipeline.StartWithOwnBrokerUserAsync(Service.Ingestion);
        var confirmedBatch = new TaskCompletionSource<IReadOnlyList<Guid>>(TaskCreationOptions.RunContinuationsAsynchronously);

        await run.SendLoansAsync();
        await run.SendMonthAsync(0);
        await run.WaitUntilRecordedAsync();

        // Armed before month 2 is sent: the relay's next batch carries PaymentRecorded events.
        var relay = run.Pipeline.ServicesOf(Service.Ingestion).GetRequiredService<OutboxRelay>();
        relay.AfterConfirmBeforeMark = async (ids, ct) =>
        {
            relay.AfterConfirmBeforeMark = null;
            confirmedBatch.TrySetResult(ids);
            // Frozen until the host dies around it: its stopping token ends the wait, before any row is marked.
            await Task.Delay(Timeout.Infinite, ct);
        };
        await run.SendMonthAsync(1);
        await confirmedBatch.Task.WaitAsync(PortfolioRun.Wait);
        run.Log("Ingestion's relay frozen between confirm and mark");
        Assert.True(await Servers.RemoveBrokerUserAsync(brokerUser) > 0, "Ingestion had no broker connection to cut");
        await run.Pipeline.RestartAsync(Service.Ingestion);
        run.Log("Ingestion killed and started again");
        await run.WaitUntilRecordedAsync();
        await run.SendMonthAsync(2);
        await run.WaitUntilRecordedAsync();

        var batch = (await confirmedBatch.Task).Select(id => id.ToString()).ToHashSet();
        var report = await run.CheckAsync($"Ingestion's relay killed after the broker confirmed {batch.Count} PaymentRecorded event(s), before marking them sent");

        FaultAssert.NothingLostOrDuplicated(report);
        // Every event of the batch went out twice under its one message id, and nothing else was repeated.
        var heard = report.Heard("PaymentRecorded");
        Assert.All(batch, id => Assert.Equal(2, heard.Count(e => e.MessageId == id)));
        Assert.Equal(batch.Count, report["recorded"].Recovered);
    }
}
