namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipe 1: the same message id delivered 3 times, staggered and concurrently, has one business effect.
/// At the door, core banking sends one month's instalments three times each (once, then twice at the same time a moment
/// later) with the same message id; inside the pipeline, events already published (PaymentRecorded by Ingestion,
/// RiskScored by RiskScoring, StrategyAssigned by StrategyAssignment) are delivered three more times each with their
/// original message ids, the same way, to every service that consumes them.
/// </summary>
public sealed class Duplicate_deliveries
{
    private const int EventsRepeated = 10;
    private static readonly TimeSpan Stagger = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Three_deliveries_of_one_message_id_staggered_and_concurrent_have_one_effect()
    {
        await using var run = await PortfolioRun.StartAsync("FDUP");
        await using var duplicates = await DuplicatePublisher.StartAsync(run.Pipeline.VirtualHost);
        await run.SendLoansAsync();
        await run.SendMonthAsync(0);
        await run.WaitUntilRecordedAsync();

        // The door: month 2's instalments, each sent once, then twice concurrently.
        var month = run.Stream.PaymentMessages(1).ToList();
        run.PaymentsSent.UnionWith(month.Select(m => m.Key));
        await run.Sender.SendAsync("payment", month);
        await Task.Delay(Stagger);
        await Task.WhenAll(run.Sender.SendAsync("payment", month), run.Sender.SendAsync("payment", month));
        await run.WaitUntilRecordedAsync();

        // Inside: events the relays published, delivered again three times each with the same message id.
        await PortfolioRun.EventuallyAsync(async () => await run.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.outbox_message WHERE sent_at IS NOT NULL AND message_type LIKE 'LoanRecovery.Contracts.StrategyAssigned,%'") > 0,
            PortfolioRun.Wait, "a first strategy to be published");
        var repeated = new List<PublishedEvent>();
        repeated.AddRange(await DuplicatePublisher.ReadSentAsync(run.Database, "ingestion", "PaymentRecorded", EventsRepeated));
        repeated.AddRange(await DuplicatePublisher.ReadSentAsync(run.Database, "risk", "RiskScored", EventsRepeated));
        repeated.AddRange(await DuplicatePublisher.ReadSentAsync(run.Database, "strategy", "StrategyAssigned", EventsRepeated));
        await Task.WhenAll(repeated.Select(duplicates.PublishAgainAsync));
        await Task.Delay(Stagger);
        await Task.WhenAll(repeated.SelectMany(e => new[] { duplicates.PublishAgainAsync(e), duplicates.PublishAgainAsync(e) }));

        for (var m = 2; m < PortfolioRun.MonthCount; m++)
        {
            await run.SendMonthAsync(m);
            await run.WaitUntilRecordedAsync();
        }
        var report = await run.CheckAsync($"core banking sent {month.Count} instalments 3 times each; {repeated.Count} published events delivered 3 more times each");

        FaultAssert.NothingLostOrDuplicated(report);
        // Every repeated event was heard 4 times in all (the original and 3 repeats) and had its one effect.
        Assert.Equal(3 * repeated.Count(e => e.Type.Name == "PaymentRecorded"), report["recorded"].Recovered);
        Assert.Equal(3 * repeated.Count(e => e.Type.Name == "RiskScored"), report["scored"].Recovered);
        Assert.Equal(3 * repeated.Count(e => e.Type.Name == "StrategyAssigned"), report["strategies"].Recovered);
    }
}
