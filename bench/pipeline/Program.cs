using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Bench.Pipeline;
using LoanRecovery.Contracts;
using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;

// End-to-end throughput and latency of the pipeline (payment → StrategyAssigned) beside a raw MassTransit hop on the same
// broker, in one run. See bench/README.md ("Pipeline") for the method and the recorded figures.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// Read by each service's builder before the hosts' own settings apply: quiet logs (a console line per event would be the
// largest cost in the process), and no usage report from MassTransit to the internet (this machine has none).
Environment.SetEnvironmentVariable("Logging__MinimumLevel", "Warning");
Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
var settings = PipelineBenchSettings.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;
void Say(string line) => Console.Error.WriteLine($"[pipeline {DateTime.Now:HH:mm:ss}] {line}");

var config = SimulatorCli.LoadConfig(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Simulator", SimulatorCli.DefaultConfigFile));
await using var database = await ThrowawayDatabase.CreateAsync();
await using var vhost = await ThrowawayVirtualHost.CreateAsync();
var rabbit = new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, vhost.Name, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword);
Say($"database {database.Name}, virtual host {vhost.Name}; load average {MachineCpu.LoadAverage()}");

// (a) The raw hop, before the services start: nothing else of ours runs on the machine meanwhile.
Say($"raw hop: {settings.RawMessages} messages");
var hopBefore = await RawHop.MeasureAsync(rabbit, settings.RawMessages, settings.Prefetch, settings.RawPublishesInFlight, ct);
Say($"raw hop: {hopBefore.PerSecond:N0} msg/s");
// The same broker traffic as the pipeline's (4 publishes and 9 deliveries a payment) with consumers that do nothing: how much
// of the raw hop the message pattern itself leaves for the services.
Say($"message pattern: {settings.PatternPayments} payments");
var pattern = await MessagePatternHop.MeasureAsync(rabbit, settings.PatternPayments, settings.Prefetch, settings.RawPublishesInFlight, ct);
Say($"message pattern: {pattern.PerSecond:N0} payments/s ({pattern.PerSecond / hopBefore.PerSecond:P1} of the raw hop)");

// The five services in this process, each on its own role and schema, with their production messaging settings (the
// shared test host shortens retries and the relay's poll for fault tests; a benchmark must not).
var production = new Dictionary<string, string?>
{
    ["Messaging:RetryIntervals:0"] = "00:00:00.200",
    ["Messaging:RetryIntervals:1"] = "00:00:01",
    ["Messaging:RetryIntervals:2"] = "00:00:05",
    ["Messaging:RelayPollInterval"] = "00:00:00.500",
    ["RabbitMq:PrefetchCount"] = settings.Prefetch.ToString(CultureInfo.InvariantCulture),
};
var ingestionSettings = new Dictionary<string, string?>(production);
if (settings.IngestionPaymentPartitions is { } partitions)
    ingestionSettings["Ingestion:PaymentPartitions"] = partitions.ToString(CultureInfo.InvariantCulture);
await using var ingestionHost = new ServiceHost<IngestionOptions>(database, vhost, "ingestion", ingestionSettings);
await using var segmentationHost = new ServiceHost<SegmentationOptions>(database, vhost, "segmentation", production);
await using var riskHost = new ServiceHost<RiskScoringOptions>(database, vhost, "risk", production);
await using var strategyHost = new ServiceHost<StrategyAssignmentOptions>(database, vhost, "strategy", production);
await using var performanceHost = new ServiceHost<PerformanceTrackingOptions>(database, vhost, "performance", production);
var ingestion = ingestionHost.Start();
segmentationHost.Start();
var risk = riskHost.Start();
strategyHost.Start();
performanceHost.Start();

using var sampler = new BacklogSampler(TestEnvironment.RabbitManagementUrl, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword,
    vhost.Name, database.AdminConnectionString, ["ingestion", "segmentation", "risk", "strategy", "performance"]);

// A first model from the lender's history (here the simulator's, which has a learnable signal): see ChampionModel.ColdStartAsync.
Say($"cold start: importing a {settings.HistoryLoans}-loan history");
var model = await ChampionModel.ColdStartAsync(ingestion, risk, config, settings.HistoryLoans, ct);
Say($"cold start: champion {model}");
await sampler.WaitIdleAsync(TimeSpan.FromMinutes(5), 6, ct);

await using var heard = await StrategyAssignedTimer.StartAsync(rabbit, ct);
await using var publisher = await CoreBankingPublisher.ConnectAsync(rabbit, ct);

// Warm-up: every consumer's first messages (JIT, connection pools, prepared statements) are not part of a figure.
Say($"warm-up: {settings.WarmupPayments} loans and missed payments");
var warmup = await OpenLoansAsync("WU", settings.WarmupPayments, 11);
await PublishPaymentsAsync(warmup);
await heard.WaitForAsync(warmup.Select(l => l.LoanId).ToArray(), TimeSpan.FromSeconds(60), ct);
await sampler.WaitIdleAsync(TimeSpan.FromMinutes(5), 6, ct);

// (b) Throughput: every payment published at once (confirmed batches, as fast as the broker takes them), then the time
// until each loan's StrategyAssigned is heard.
Say($"throughput: {settings.ThroughputPayments} loans and missed payments");
var throughputLoans = await OpenLoansAsync("TP", settings.ThroughputPayments, 12);
using (var sampling = new CancellationTokenSource())
{
    var recording = sampler.RecordAsync(settings.SampleInterval, sampling.Token);
    var cpu = new MachineCpu();
    var started = Stopwatch.GetTimestamp();
    await PublishPaymentsAsync(throughputLoans);
    var published = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var loanIds = throughputLoans.Select(l => l.LoanId).ToArray();
    var complete = await heard.WaitForAsync(loanIds, settings.Quiet, ct);
    var use = cpu.Stop();
    await sampling.CancelAsync();
    var backlogs = BacklogSampler.Summarise(await recording);
    var arrivals = loanIds.Select(heard.FirstHeard).OfType<long>().Select(t => Stopwatch.GetElapsedTime(started, t).TotalSeconds).Order().ToArray();
    var throughput = ThroughputResult.Of(settings.ThroughputPayments, complete, published, arrivals, use, backlogs);
    Say($"throughput: {throughput.SustainedPerSecond:N1} payments/s sustained ({throughput.OverallPerSecond:N1} overall), {complete}/{settings.ThroughputPayments} heard");
    await sampler.WaitIdleAsync(TimeSpan.FromMinutes(10), 6, ct);

    // (c) Latency at a fixed offered load of half the sustained rate, paced (open loop: a slow answer does not slow the
    // next publish), each payment's latency from just before its publish to its loan's StrategyAssigned.
    var rate = throughput.SustainedPerSecond / 2;
    var count = Math.Max(50, (int)Math.Round(rate * settings.LatencySeconds.TotalSeconds));
    Say($"latency: {count} loans and missed payments at {rate:N1}/s");
    var latencyLoans = await OpenLoansAsync("LT", count, 13);
    using var latencySampling = new CancellationTokenSource();
    var latencyRecording = sampler.RecordAsync(settings.SampleInterval, latencySampling.Token);
    var latencyCpu = new MachineCpu();
    var publishedAt = new long[count];
    var pending = new List<Task>(count);
    var paceStart = Stopwatch.GetTimestamp();
    for (var i = 0; i < count; i++)
    {
        var due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(paceStart);
        if (due > TimeSpan.Zero)
            await Task.Delay(due, ct);
        publishedAt[i] = Stopwatch.GetTimestamp();
        pending.Add(publisher.PublishAsync("payment", [MissedPayment(latencyLoans[i])], ct));
    }
    var offeredSeconds = Stopwatch.GetElapsedTime(paceStart).TotalSeconds;
    await Task.WhenAll(pending);
    var latencyComplete = await heard.WaitForAsync(latencyLoans.Select(l => l.LoanId).ToArray(), settings.Quiet, ct);
    var latencyUse = latencyCpu.Stop();
    await latencySampling.CancelAsync();
    var latencyBacklogs = BacklogSampler.Summarise(await latencyRecording);
    var latenciesMs = latencyLoans.Select((l, i) => heard.FirstHeard(l.LoanId) is { } at ? Stopwatch.GetElapsedTime(publishedAt[i], at).TotalMilliseconds : (double?)null)
        .OfType<double>().Order().ToArray();
    var latency = LatencyResult.Of(rate, count / offeredSeconds, count, latencyComplete, latenciesMs, latencyUse, latencyBacklogs);
    Say($"latency: p50 {latency.P50Ms:N0} ms, p95 {latency.P95Ms:N0} ms, p99 {latency.P99Ms:N0} ms; {latencyComplete}/{count} heard");
    await sampler.WaitIdleAsync(TimeSpan.FromMinutes(10), 6, ct);

    // (a') The raw hop again, with the services running but idle: how much the machine moved during the run.
    Say("raw hop again");
    var hopAfter = await RawHop.MeasureAsync(rabbit, settings.RawMessages, settings.Prefetch, settings.RawPublishesInFlight, ct);
    Say($"raw hop: {hopAfter.PerSecond:N0} msg/s");

    var result = new PipelineBenchResult(DateTimeOffset.Now, Environment.ProcessorCount, model, settings, hopBefore, pattern, hopAfter, throughput, latency);
    // The services log to the console too; the table also goes to a file of its own.
    Console.WriteLine(result.ToMarkdown());
    if (settings.MarkdownOut is { } markdown)
        await File.WriteAllTextAsync(markdown, result.ToMarkdown(), ct);
    if (settings.JsonOut is { } path)
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
}
return 0;

// Opens new loans over AMQP as core banking does and waits until every service has taken them in.
async Task<IReadOnlyList<SimLoan>> OpenLoansAsync(string prefix, int count, int seed)
{
    var loans = PortfolioGenerator.Generate(config, count, seed)
        .Select(l => l.WithIdPrefix(prefix))
        .ToArray();
    await publisher.PublishLoansAsync(loans, ct);
    await Task.Delay(TimeSpan.FromSeconds(2), ct);
    await sampler.WaitIdleAsync(TimeSpan.FromMinutes(10), 6, ct);
    return loans;
}

async Task PublishPaymentsAsync(IReadOnlyList<SimLoan> loans) =>
    await publisher.PublishAsync("payment", loans.Select(MissedPayment), ct);

(string Id, object Body) MissedPayment(SimLoan loan) => ChampionModel.MissedFirstPayment(config, loan);
