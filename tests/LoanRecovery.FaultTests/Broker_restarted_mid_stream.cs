namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipe 5: the RabbitMQ node is stopped and started again (through <c>deploy/local/servers.sh</c>, the
/// node named by the environment) while the second and third months' instalments flow through the pipeline. Queues are durable and
/// messages persistent; the services reconnect by themselves; core banking re-sends what the broker had not confirmed.
/// </summary>
public sealed class Broker_restarted_mid_stream
{
    [Fact]
    public async Task Nothing_is_lost_and_nothing_is_done_twice()
    {
        await using var run = await PortfolioRun.StartAsync("FMQR");
        await run.SendLoansAsync();
        await run.SendMonthAsync(0);
        await run.WaitUntilRecordedAsync();

        // The node is told to stop while core banking sends months 2 and 3: they are on their way through the pipeline
        // when it goes down, and what the broker did not confirm is sent again once it is back.
        var stopping = Servers.StopRabbitMqAsync();
        var sending = Task.Run(async () =>
        {
            await run.SendMonthAsync(1);
            await run.SendMonthAsync(2);
        });
        await stopping;
        var recordedAtStop = await run.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment");
        var scoredAtStop = await run.Database.ScalarAsync<long>("SELECT count(*) FROM risk.score");
        run.Log($"RabbitMQ stopped with {recordedAtStop} payments recorded and {scoredAtStop} scored");
        await Servers.StartRabbitMqAsync();
        run.Log("RabbitMQ started");
        await sending;
        await run.WaitUntilRecordedAsync();

        var report = await run.CheckAsync($"RabbitMQ stopped and started with {recordedAtStop} of {run.PaymentsSent.Count} payments recorded and " +
            $"{scoredAtStop} scored; core banking re-sent {run.Sender.BatchesResent} unconfirmed batch(es)");

        FaultAssert.NothingLostOrDuplicated(report);
    }
}
