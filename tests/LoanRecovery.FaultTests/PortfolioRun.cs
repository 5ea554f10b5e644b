using LoanRecovery.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.FaultTests;

/// <summary>
/// One fault test's world: the pipeline, a small simulated portfolio sent by core banking month by month, the event tap and
/// the checker. Small enough that a run takes seconds: 60 loans over 3 months.
/// </summary>
public sealed class PortfolioRun : IAsyncDisposable
{
    public const int Loans = 60;
    public const int MonthCount = 3;
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private PortfolioRun(Pipeline pipeline, EventTap tap, PortfolioStream stream)
    {
        Pipeline = pipeline;
        Tap = tap;
        Stream = stream;
        Sender = new CoreBankingSender(pipeline.VirtualHost.Name);
        Checker = new PipelineChecker(pipeline.Database, pipeline.VirtualHost, tap);
    }

    public Pipeline Pipeline { get; }
    public EventTap Tap { get; }
    public PortfolioStream Stream { get; }
    public CoreBankingSender Sender { get; }
    public PipelineChecker Checker { get; }
    public ThrowawayDatabase Database => Pipeline.Database;

    /// <summary>Every payment id core banking sent (each once, however often it was delivered).</summary>
    public HashSet<string> PaymentsSent { get; } = [];

    /// <summary>Starts the services (less <paramref name="notStarted"/>, which the test starts its own way) and the event tap.</summary>
    public static async Task<PortfolioRun> StartAsync(string idPrefix, params Service[] notStarted)
    {
        var pipeline = await Pipeline.StartAsync(notStarted);
        var tap = await EventTap.StartAsync(pipeline.VirtualHost.Name);
        var run = new PortfolioRun(pipeline, tap, PortfolioStream.Create(Loans, MonthCount, seed: 7, idPrefix));
        run.Log("five services started");
        return run;
    }

    /// <summary>Sends the portfolio's loans and waits until Ingestion has them all.</summary>
    public async Task SendLoansAsync()
    {
        await Sender.SendAsync("loan", Stream.LoanMessages);
        await EventuallyAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.loan") == Loans, Wait,
            $"Ingestion to record the {Loans} loans");
        Log($"{Loans} loans recorded");
    }

    /// <summary>Sends one month's instalments (it does not wait for them).</summary>
    public async Task SendMonthAsync(int month)
    {
        var messages = Stream.PaymentMessages(month).ToList();
        PaymentsSent.UnionWith(messages.Select(m => m.Key));
        await Sender.SendAsync("payment", messages);
    }

    /// <summary>Waits until Ingestion has recorded every payment sent so far, as core banking paces itself month by month.</summary>
    /// <remarks>Pacing, not a check: a payment that never arrives is left for the checker to report as lost.</remarks>
    public async Task WaitUntilRecordedAsync()
    {
        var deadline = DateTime.UtcNow + Wait;
        long recorded;
        while ((recorded = await Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment")) < PaymentsSent.Count && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Log($"{recorded} of {PaymentsSent.Count} payments sent recorded");
    }

    /// <summary>Sends every month, each once the previous one is recorded, running <paramref name="afterMonth"/> after each month is sent.</summary>
    public async Task SendAllMonthsAsync(Func<int, Task>? afterMonth = null)
    {
        for (var month = 0; month < MonthCount; month++)
        {
            await SendMonthAsync(month);
            if (afterMonth is not null)
                await afterMonth(month);
            await WaitUntilRecordedAsync();
        }
    }

    /// <summary>Lets the pipeline settle, counts, and writes the checker's report to the test output.</summary>
    public async Task<PipelineReport> CheckAsync(string fault)
    {
        var report = await Checker.SettleAndCountAsync(PaymentsSent, Wait) with
        {
            Redelivered = Pipeline.Deliveries.ToDictionary(d => d.Key.ToString(), d => d.Value.Consumed.Count(c => c.Redelivered)),
        };
        TestContext.Current.TestOutputHelper?.WriteLine(report.Format(fault));
        foreach (var (queue, reason) in await Checker.ParkedReasonsAsync(report.Parked.Keys))
            TestContext.Current.TestOutputHelper?.WriteLine($"parked in {queue}: {reason}");
        Log("checked");
        return report;
    }

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Writes a step and the time since the run started to the test output.</summary>
    public void Log(string step) => TestContext.Current.TestOutputHelper?.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {step}");

    /// <summary>Polls <paramref name="condition"/> until it holds; fails, saying what it waited for, after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sender.DisposeAsync();
        await Tap.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}
