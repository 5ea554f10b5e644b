namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipe 6: PostgreSQL is stopped (through <c>deploy/local/servers.sh</c>, the server named by the
/// environment) while core banking sends the second month, kept away for <see cref="Outage"/>, and started again. Every
/// service loses its database at once: the messages must wait (in their queues, or retried) and go through once it is back,
/// none parked as a failure.
/// </summary>
public sealed class Database_stopped_and_started
{
    /// <summary>How long the database stays away: longer than the consumers' whole retry span (0.35 s here, 6.2 s in production).</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Messages_wait_and_go_through_once_it_is_back()
    {
        await using var run = await PortfolioRun.StartAsync("FPGR");
        await run.SendLoansAsync();
        await run.SendMonthAsync(0);
        await run.WaitUntilRecordedAsync();

        await Servers.StopPostgresAsync();
        run.Log("PostgreSQL stopped");
        await run.SendMonthAsync(1);
        // The outage itself: the length of the fault, not a wait for anything.
        await Task.Delay(Outage);
        await Servers.StartPostgresAsync();
        run.Log("PostgreSQL started");
        await run.WaitUntilRecordedAsync();
        await run.SendMonthAsync(2);
        await run.WaitUntilRecordedAsync();

        var report = await run.CheckAsync($"PostgreSQL stopped for {Outage.TotalSeconds:0} s while {run.Stream.Months[1].Count} instalments were sent");

        FaultAssert.NothingLostOrDuplicated(report);
    }
}
