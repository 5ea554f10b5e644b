using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanRecovery.EndToEnd.Tests;

/// <summary>
/// The five services hosted in-process on one throw-away database (a schema and role each) and one virtual host, driven
/// by the simulator's own portfolio, months and collection floor: core banking publishes loans and instalments as plain
/// AMQP JSON, the floor hears the strategies and works the tasks through the work-queue API, and episodes close on a
/// short observation window so that outcomes flow back to RiskScoring. The bank's back book of resolved loans (the
/// simulator's history, the seed file's schema) arrives through Ingestion's import in two parts: a few dozen before the
/// run, from which the cold-start model is trained and the run is scored, and a thousand after it, with which a
/// retraining must promote a better model, judged out of time.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class Simulated_portfolio_through_every_service : IAsyncLifetime
{
    private const int Loans = 300;
    private const int Months = 4;
    private const int FirstBackBook = 60;
    private const int SecondBackBook = 1000;
    private const int RetrainAfterOutcomes = 900;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly CapturedLogs _logs = new();
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private RabbitProbe _probe = null!;
    private ServiceHost<IngestionOptions> _ingestion = null!;
    private ServiceHost<SegmentationOptions> _segmentation = null!;
    private ServiceHost<RiskScoringOptions> _risk = null!;
    private ServiceHost<StrategyAssignmentOptions> _strategy = null!;
    private ServiceHost<PerformanceTrackingOptions> _performance = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
        _ingestion = new ServiceHost<IngestionOptions>(_database, _vhost, "ingestion", configureServices: CaptureLogs);
        _segmentation = new ServiceHost<SegmentationOptions>(_database, _vhost, "segmentation", configureServices: CaptureLogs);
        _risk = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?>
        {
            // Small and quick: the first model from the first part of the back book; a retraining once most of the second
            // part has arrived (its outcomes and the run's together), not on every few dozen of them.
            ["RiskScoring:MinimumTrainingRows"] = "40",
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:01",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.500",
            ["RiskScoring:RetrainAfterOutcomes"] = RetrainAfterOutcomes.ToString(CultureInfo.InvariantCulture),
            ["RiskScoring:RetrainCheckInterval"] = "00:00:01",
            ["RiskScoring:Trees"] = "60",
            ["RiskScoring:BootstrapResamples"] = "200",
        }, CaptureLogs);
        _strategy = new ServiceHost<StrategyAssignmentOptions>(_database, _vhost, "strategy", configureServices: CaptureLogs);
        _performance = new ServiceHost<PerformanceTrackingOptions>(_database, _vhost, "performance", new Dictionary<string, string?>
        {
            // Episodes close a few seconds (of wall clock) after their assignment: about one simulated month here.
            ["PerformanceTracking:ObservationWindow"] = "00:00:08",
            ["PerformanceTracking:CloseCheckInterval"] = "00:00:00.500",
        }, CaptureLogs);
    }

    private void CaptureLogs(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    public async ValueTask DisposeAsync()
    {
        await _performance.DisposeAsync();
        await _strategy.DisposeAsync();
        await _risk.DisposeAsync();
        await _segmentation.DisposeAsync();
        await _ingestion.DisposeAsync();
        await _probe.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Every_payment_is_recorded_every_delinquent_payment_scored_once_and_every_closed_episode_has_one_outcome()
    {
        var clock = Stopwatch.StartNew();
        var ingestion = _ingestion.Start();
        _segmentation.Start();
        var risk = _risk.Start();
        var strategy = _strategy.Start();
        _performance.Start();
        var config = SimulatorCli.LoadConfig(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Simulator", SimulatorCli.DefaultConfigFile));

        // The first part of the back book: the cold-start model is trained on it, and the run is scored by that model.
        await ImportBackBookAsync(ingestion, config, "HA", FirstBackBook, seed: 11);
        await Eventually.TrueWithinAsync(async () => (await risk.GetFromJsonAsync<JsonElement>("/api/models")).GetArrayLength() > 0, Wait);
        var coldStart = Assert.Single((await risk.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray());
        var coldStartVersion = coldStart.GetProperty("version").GetString()!;
        Assert.Equal("cold start", coldStart.GetProperty("decision").GetProperty("trigger").GetString());

        var outcomes = await _probe.ListenAsync("LoanRecovery.Contracts.RecoveryOutcomeRecorded");
        var options = new LiveRunOptions(Loans, Months, Seed: 7, IdPrefix: "E2E", ingestion.BaseAddress!, strategy.BaseAddress!,
            new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, _vhost.Name, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword),
            SettleTime: TimeSpan.FromSeconds(1.5), MonthTimeout: TimeSpan.FromSeconds(120));
        var months = new List<LiveProgress>();
        var progress = new Progress<LiveProgress>(p => { if (p.Stage == "month done") lock (months) months.Add(p); });
        var result = await new LiveRun(config, options, progress, ingestion, strategy).RunAsync(TestContext.Current.CancellationToken);
        var simulated = clock.Elapsed;

        // Counting: payments published = payments recorded, nothing lost, nothing duplicated.
        Assert.Equal(Loans, result.LoansRecorded);
        Assert.True(result.PaymentsPublished > Loans * (Months - 1), $"only {result.PaymentsPublished} payments were published");
        Assert.Equal(result.PaymentsPublished, result.PaymentsRecorded);
        Assert.Equal(result.PaymentsPublished, await _database.ScalarAsync<int>("SELECT count(*) FROM ingestion.payment"));
        Assert.Equal(result.PaymentsPublished, await _database.ScalarAsync<int>("SELECT count(DISTINCT payment_id) FROM ingestion.payment"));

        // Every delinquent payment is scored once.
        const string delinquent = "SELECT count(*) FROM ingestion.payment WHERE days_past_due_after > 0 OR missed_payments_after > 0";
        var delinquentPayments = await _database.ScalarAsync<int>(delinquent);
        Assert.True(delinquentPayments > 0, "the simulation produced no delinquent payment");
        await Eventually.TrueWithinAsync(async () => await _database.ScalarAsync<int>("SELECT count(*) FROM risk.score") >= delinquentPayments, Wait);
        Assert.Equal(delinquentPayments, await _database.ScalarAsync<int>("SELECT count(*) FROM risk.score"));
        Assert.Equal(delinquentPayments, await _database.ScalarAsync<int>("SELECT count(DISTINCT (loan_id, payment_id)) FROM risk.score"));

        // Every scored delinquent loan has exactly one active strategy (unless the episode of a loan that has since
        // cleared its arrears ended it): no loan has two, and every loan that is still delinquent has one.
        await Eventually.TrueWithinAsync(async () => await _database.ScalarAsync<int>("SELECT count(*) FROM strategy.score") >= delinquentPayments, Wait);
        Assert.Equal(0, await _database.ScalarAsync<int>(
            "SELECT count(*) FROM (SELECT loan_id FROM strategy.assignment WHERE active GROUP BY loan_id HAVING count(*) > 1) d"));
        var stillDelinquentWithoutStrategy = await _database.ScalarAsync<int>("""
            SELECT count(*) FROM ingestion.loan l
            WHERE (l.days_past_due > 0 OR l.arrears_amount > 0)
              AND EXISTS (SELECT 1 FROM risk.score s WHERE s.loan_id = l.loan_id)
              AND NOT EXISTS (SELECT 1 FROM strategy.assignment a WHERE a.loan_id = l.loan_id AND a.active)
            """);
        Assert.Equal(0, stillDelinquentWithoutStrategy);
        var scoredLoans = await _database.ScalarAsync<int>("SELECT count(DISTINCT loan_id) FROM risk.score");
        Assert.Equal(scoredLoans, await _database.ScalarAsync<int>("SELECT count(DISTINCT loan_id) FROM strategy.assignment"));

        // Every closed episode has one outcome, published once. After the last month no strategy is assigned any more,
        // so every episode closes within the observation window.
        await Eventually.TrueWithinAsync(async () => await _database.ScalarAsync<int>("SELECT count(*) FROM performance.episode WHERE closed_at IS NULL") == 0, Wait);
        Assert.Equal(0, await _database.ScalarAsync<int>("SELECT count(*) FROM performance.episode WHERE closed_at IS NULL"));
        var closed = await _database.ScalarAsync<int>("SELECT count(*) FROM performance.episode WHERE closed_at IS NOT NULL");
        Assert.True(closed > 0, "no episode closed");
        Assert.Equal(closed, await _database.ScalarAsync<int>(
            "SELECT count(DISTINCT outcome_id) FROM performance.episode WHERE closed_at IS NOT NULL AND outcome_id IS NOT NULL"));
        await Eventually.TrueWithinAsync(() => Task.FromResult(outcomes.Messages.Count >= closed), Wait);
        var heard = (await outcomes.SettleAsync(TimeSpan.FromSeconds(1))).Select(m => m.GetProperty("loanId").GetString() + "/" + m.GetProperty("outcomeId").GetString()).ToList();
        var recorded = (await _database.ScalarAsync<string>(
            "SELECT string_agg(loan_id || '/' || outcome_id, ' ') FROM performance.episode WHERE closed_at IS NOT NULL")).Split(' ');
        Assert.Equal(closed, recorded.Length);
        Assert.All(recorded, o => Assert.Equal(1, heard.Count(h => h == o)));
        // No outcome without its episode (two closers racing once published a second outcome for one episode).
        var phantom = heard.Except(recorded).ToList();
        Assert.Empty(phantom);

        // The run was scored by the cold-start model: no loan waited for a model.
        Assert.Equal(0, await _database.ScalarAsync<int>("SELECT count(*) FROM risk.score WHERE loan_id LIKE 'E2E%' AND model_version <> '" + coldStartVersion + "'"));

        // The rest of the back book arrives: with the run's outcomes, enough new ones for RiskScoring to retrain by itself.
        // The challenger is judged against the cold-start champion on the most recent outcomes (out of time) and promoted.
        await ImportBackBookAsync(ingestion, config, "HC", SecondBackBook, seed: 12);
        JsonElement? promoted = null;
        await Eventually.TrueWithinAsync(async () =>
        {
            var all = await risk.GetFromJsonAsync<JsonElement>("/api/models");
            promoted = all.EnumerateArray().FirstOrDefault(m => m.GetProperty("decision") is { ValueKind: JsonValueKind.Object } d
                && d.GetProperty("trigger").GetString() != "cold start" && d.GetProperty("promoted").GetBoolean());
            return promoted is { ValueKind: JsonValueKind.Object };
        }, TimeSpan.FromSeconds(120));
        var models = await risk.GetFromJsonAsync<JsonElement>("/api/models");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"simulated {Loans} loans x {Months} months in {simulated.TotalSeconds:0.0} s: {result.PaymentsPublished} payments, " +
            $"{delinquentPayments} delinquent, {scoredLoans} loans scored, {result.StrategiesReceived} strategies heard, {result.TasksWorked} tasks worked, " +
            $"{closed} episodes closed, payment to strategy p50 {result.PaymentToStrategy.P50:0} ms p99 {result.PaymentToStrategy.P99:0} ms; " +
            $"{models.GetArrayLength()} model(s): {models}");
        Assert.True(result.TasksWorked > 0, "the collection floor worked no task");
        Assert.True(promoted is { ValueKind: JsonValueKind.Object }, $"no retraining promoted a model: {models}");
        var decision = promoted.Value.GetProperty("decision");
        Assert.Equal(coldStartVersion, decision.GetProperty("comparedWith").GetString());
        Assert.True(decision.GetProperty("holdoutRows").GetInt32() >= 100, $"judged on too few out-of-time outcomes: {decision}");
        Assert.True(decision.GetProperty("challengerAuc").GetDouble() > 0.65, $"out-of-time AUC of the promoted model is not above 0.65: {decision}");
        Assert.True(decision.GetProperty("challengerAuc").GetDouble() > (decision.GetProperty("championAuc").GetDouble()),
            $"the promoted model is not better out of time than the champion it replaced: {decision}");
        var champion = Assert.Single(models.EnumerateArray(), m => m.GetProperty("isChampion").GetBoolean());
        Assert.NotEqual(coldStartVersion, champion.GetProperty("version").GetString());

        // No personal data in the logs of the whole run: none of the borrowers' incomes, amounts or genders.
        AssertNoPersonalData(config);
    }

    private static IEnumerable<string> NumbersIn(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"(?<![0-9A-Za-z])[0-9][0-9,]*(\.[0-9]+)?(?![0-9A-Za-z])").Select(m => m.Value);

    private void AssertNoPersonalData(SimulationConfig config)
    {
        var borrowers = PortfolioGenerator.Generate(config, Loans, 7);
        var amounts = borrowers.SelectMany(b => new[] { b.MonthlyIncome, b.LoanAmount, b.CollateralValue, b.MonthlyEmi })
            .Where(a => a >= 10_000m)   // shorter figures are ordinary counts and durations in log lines
            .SelectMany(a => new[] { a.ToString("0.##", CultureInfo.InvariantCulture), a.ToString("N0", CultureInfo.InvariantCulture) })
            .ToHashSet();
        var entries = _logs.Entries.ToList();
        Assert.True(entries.Count > 100, $"only {entries.Count} log entries were captured");
        // Figures are compared as whole numbers in the text, so that a digit run inside an id (a GUID's hex) is no match.
        var leaks = entries.Select(e => e.Text)
            .Where(text => NumbersIn(text).Any(amounts.Contains)
                           || text.Contains("Female", StringComparison.OrdinalIgnoreCase)
                           || text.Contains("monthlyIncome", StringComparison.OrdinalIgnoreCase))
            .Take(5).ToList();
        Assert.True(leaks.Count == 0, "personal data in the logs:\n" + string.Join("\n", leaks));
    }

    /// <summary>Resolved loans of another simulated portfolio, written in the seed file's schema and imported through Ingestion.</summary>
    private static async Task ImportBackBookAsync(HttpClient ingestion, SimulationConfig config, string prefix, int loans, int seed)
    {
        var portfolio = PortfolioGenerator.Generate(config, loans, seed)
            .Select(l => l.WithIdPrefix(prefix))
            .ToArray();
        var csv = PortfolioCsv.Write(PortfolioCsv.History(config, portfolio, seed));
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        using var response = await ingestion.PostAsync("/api/imports", content);
        response.EnsureSuccessStatusCode();
        var import = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(loans, import.GetProperty("accepted").GetInt32());
    }
}
