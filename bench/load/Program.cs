using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Bench.Load;
using LoanRecovery.Bench.Pipeline;
using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.Testing;

// Sustained load on the five services as separate processes: a fixed rate of missed payments for ten minutes, with
// throughput, latency percentiles, queue depths, memory and CPU per service over time; then a ramp of rising rates to
// find where p99 payment→strategy crosses one second. See bench/README.md ("Load").
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var settings = LoadSettings.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;
void Say(string line) => Console.Error.WriteLine($"[load {DateTime.Now:HH:mm:ss}] {line}");

var config = SimulatorCli.LoadConfig(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Simulator", SimulatorCli.DefaultConfigFile));
var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
await using var database = await ThrowawayDatabase.CreateAsync();
await using var vhost = await ThrowawayVirtualHost.CreateAsync();
var rabbit = new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, vhost.Name, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword);
Say($"database {database.Name}, virtual host {vhost.Name}; starting the services (logs in {settings.LogDirectory})");
await using var services = await ServiceProcesses.StartAsync(database, vhost, signingKey, settings.LogDirectory, TimeSpan.FromMinutes(3), ct);
var token = BearerTokens.Create(signingKey).Issue("load-bench", [ServiceRoles.Admin], TimeSpan.FromHours(4));
HttpClient Client(string service) => new()
{
    BaseAddress = services.UrlOf(service), Timeout = TimeSpan.FromMinutes(5),
    DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
};
using var ingestion = Client("Ingestion");
using var risk = Client("RiskScoring");
using var backlog = new BacklogSampler(TestEnvironment.RabbitManagementUrl, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword,
    vhost.Name, database.AdminConnectionString, ["ingestion", "segmentation", "risk", "strategy", "performance"]);

// A first model from an imported history, so that every payment takes the full scoring path (as in the pipeline benchmark).
Say($"cold start: importing a {settings.HistoryLoans}-loan history");
var model = await ChampionModel.ColdStartAsync(ingestion, risk, config, settings.HistoryLoans, ct);
Say($"cold start: champion {model}");
await backlog.WaitIdleAsync(TimeSpan.FromMinutes(5), 6, ct);

await using var heard = await StrategyAssignedTimer.StartAsync(rabbit, ct);
await using var publisher = await CoreBankingPublisher.ConnectAsync(rabbit, ct);
var load = new PacedLoad(publisher, heard, backlog, services);

Say("warm-up: 100 loans and missed payments");
await load.RunAsync("warm-up", await OpenLoansAsync("WU", 100, 11), settings.Rate, settings.Sample, settings.Quiet, ct);
await backlog.WaitIdleAsync(TimeSpan.FromMinutes(5), 6, ct);

var count = (int)Math.Round(settings.Rate * settings.Sustain.TotalSeconds);
Say($"sustained: opening {count:N0} loans, then {settings.Rate:N1} missed payments/s for {settings.Sustain.TotalSeconds:N0} s");
var sustainedPayments = await OpenLoansAsync("SU", count, 12);
var sustained = PhaseSummary.Of(await load.RunAsync("sustained", sustainedPayments, settings.Rate, settings.Sample, settings.Quiet, ct), settings.Sample);
Say($"sustained: {sustained.SustainedStrategiesPerSecond:N1} strategies/s, p50 {sustained.P50Ms:N0} ms, p99 {sustained.P99Ms:N0} ms, {sustained.Heard}/{sustained.Payments} heard");
await backlog.WaitIdleAsync(TimeSpan.FromMinutes(15), 6, ct);

var ramp = new List<PhaseSummary>();
for (var step = 0; step < settings.RampRates.Count; step++)
{
    var rate = settings.RampRates[step];
    var payments = await OpenLoansAsync($"R{step}", (int)Math.Round(rate * settings.RampStep.TotalSeconds), 20 + step);
    var summary = PhaseSummary.Of(await load.RunAsync($"ramp {rate:N1}/s", payments, rate, settings.Sample, settings.Quiet, ct), settings.Sample);
    ramp.Add(summary);
    Say($"ramp {rate:N1}/s: {summary.SustainedStrategiesPerSecond:N1} strategies/s, p99 {summary.P99Ms:N0} ms, {summary.Heard}/{summary.Payments} heard");
    await backlog.WaitIdleAsync(TimeSpan.FromMinutes(15), 6, ct);
    if (summary.P99Ms > LoadBenchResult.LatencyLimitMs * 3)
        break;   // well past the limit: higher steps would only queue longer
}

var result = new LoadBenchResult(DateTimeOffset.Now, model, settings, sustained, ramp, services.Exited());
Console.WriteLine(result.ToMarkdown());
if (settings.MarkdownOut is { } markdown)
    await File.WriteAllTextAsync(markdown, result.ToMarkdown(), ct);
if (settings.JsonOut is { } path)
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
return 0;

// Opens new loans over AMQP as core banking does, waits until every service has taken them in, and returns one missed
// instalment per loan: the loan falls behind, so each payment must end in one StrategyAssigned.
async Task<IReadOnlyList<(string LoanId, (string Id, object Body) Payment)>> OpenLoansAsync(string prefix, int loans, int seed)
{
    var opened = PortfolioGenerator.Generate(config, loans, seed).Select(l => l.WithIdPrefix(prefix)).ToArray();
    await publisher.PublishLoansAsync(opened, ct);
    await Task.Delay(TimeSpan.FromSeconds(2), ct);
    await backlog.WaitIdleAsync(TimeSpan.FromMinutes(20), 6, ct);
    return opened.Select(loan => (loan.LoanId, ChampionModel.MissedFirstPayment(config, loan))).ToList();
}
