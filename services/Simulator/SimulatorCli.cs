using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using Spectre.Console;

namespace LoanRecovery.Simulator;

/// <summary>The <c>loanrecovery-simulator</c> command line: run, write-csv, report.</summary>
public static class SimulatorCli
{
    public const int BadInput = 2;
    public const int Unreachable = 3;
    public const string DefaultConfigFile = "simulation.default.json";
    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (SimulationConfigException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
        catch (UsageException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
        catch (Exception ex) when (ex is HttpRequestException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            error.WriteLine($"error: a service or the broker cannot be reached: {ex.Message}");
            return Unreachable;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return 130;
        }
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("loanrecovery-simulator: a core banking system and collection floor with a known ground truth, for LoanRecovery.");
        root.Subcommands.Add(RunCommand(output, error));
        root.Subcommands.Add(WriteCsvCommand(output));
        root.Subcommands.Add(ReportCommand(output));
        return root;
    }

    /// <summary>Loads a simulation file, or the default shipped beside the program.</summary>
    public static SimulationConfig LoadConfig(string? path)
    {
        var file = path ?? Path.Combine(AppContext.BaseDirectory, DefaultConfigFile);
        if (!File.Exists(file))
            throw new SimulationConfigException($"{file}: the simulation file does not exist");
        return SimulationConfig.Parse(File.ReadAllText(file), file);
    }

    private static Option<int> Loans(int fallback) => new("--loans") { Description = "Number of loans (one borrower each).", DefaultValueFactory = _ => fallback };
    private static Option<int> Months(int fallback) => new("--months") { Description = "Simulated months.", DefaultValueFactory = _ => fallback };
    private static Option<int> Seed() => new("--seed") { Description = "Seed: the same seed and file give the same portfolio and draws.", DefaultValueFactory = _ => 7 };
    private static Option<string?> SimConfig() => new("--sim-config") { Description = "Simulation file (JSON); default: simulation.default.json beside the program." };
    private static Option<bool> Json() => new("--json") { Description = "Print a final JSON summary object." };

    private static Command RunCommand(TextWriter output, TextWriter error)
    {
        var loans = Loans(2000);
        var months = Months(12);
        var seed = Seed();
        var simConfig = SimConfig();
        var json = Json();
        var ingestionUrl = new Option<string>("--ingestion-url") { Description = "Ingestion's HTTP address (to confirm what it recorded).", DefaultValueFactory = _ => "http://127.0.0.1:5101" };
        var strategyUrl = new Option<string>("--strategy-url") { Description = "StrategyAssignment's HTTP address (the work queue).", DefaultValueFactory = _ => "http://127.0.0.1:5104" };
        var noFloor = new Option<bool>("--no-floor") { Description = "Publish only: do not listen for strategies nor work tasks." };
        var host = new Option<string>("--rabbit-host") { DefaultValueFactory = _ => Env("RabbitMq__Host", "127.0.0.1"), Description = "RabbitMQ host (env RabbitMq__Host)." };
        var port = new Option<int>("--rabbit-port") { DefaultValueFactory = _ => int.Parse(Env("RabbitMq__Port", "55672"), CultureInfo.InvariantCulture), Description = "RabbitMQ port (env RabbitMq__Port)." };
        var vhost = new Option<string>("--rabbit-vhost") { DefaultValueFactory = _ => Env("RabbitMq__VirtualHost", "/"), Description = "RabbitMQ virtual host (env RabbitMq__VirtualHost)." };
        var user = new Option<string>("--rabbit-user") { DefaultValueFactory = _ => Env("RabbitMq__Username", "simulator"), Description = "RabbitMQ user (env RabbitMq__Username); the simulator's own user of deploy/rabbitmq/users.conf by default." };
        var password = new Option<string>("--rabbit-password") { DefaultValueFactory = _ => Env("RabbitMq__Password", "simulator-dev"), Description = "RabbitMQ password (env RabbitMq__Password)." };
        var prefix = new Option<string>("--id-prefix") { Description = "Prefix of loan and borrower ids, so runs against the same services do not collide.", DefaultValueFactory = _ => "SIM" };
        var settle = new Option<double>("--settle-seconds") { Description = "Quiet time without a new StrategyAssigned before a month's tasks are worked.", DefaultValueFactory = _ => 1.5 };
        var officers = new Option<int>("--officers") { Description = "Collection officers working a month's tasks side by side (1–64).", DefaultValueFactory = _ => 4 };
        var timeout = new Option<double>("--month-timeout-seconds") { Description = "Longest wait for Ingestion or the strategies in one month.", DefaultValueFactory = _ => 120 };
        var riskUrl = new Option<string?>("--risk-url") { Description = "RiskScoring's HTTP address: models promoted and the champion's AUC in the summary (omitted: null)." };
        var performanceUrl = new Option<string?>("--performance-url") { Description = "PerformanceTracking's HTTP address: closed episodes and policy promotions in the summary (omitted: null)." };
        var token = new Option<string?>("--token")
        {
            Description = "Bearer token for the services' APIs, with the roles ingest and collector (and analyst for the summary's figures); env LR_SIMULATOR_TOKEN.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LR_SIMULATOR_TOKEN"),
        };
        var tableAndJson = new Option<bool>("--table-and-json") { Description = "Print the report table, then the JSON summary as the last line." };
        var cmd = new Command("run", "Publish a portfolio and its months to core banking's exchange, work the strategies the system assigns, report recovery against the baseline and the oracle.")
            { loans, months, seed, simConfig, json, ingestionUrl, strategyUrl, noFloor, host, port, vhost, user, password, prefix, settle, officers, timeout,
              riskUrl, performanceUrl, tableAndJson, token };
        cmd.SetAction(async (p, ct) =>
        {
            var floorOfficers = CheckOfficers(p.GetValue(officers));
            var config = LoadConfig(p.GetValue(simConfig));
            var (n, m) = Check(p.GetValue(loans), p.GetValue(months));
            var options = new LiveRunOptions(n, m, p.GetValue(seed), p.GetValue(prefix)!, Url(p.GetValue(ingestionUrl)!, "--ingestion-url"),
                p.GetValue(noFloor) ? null : Url(p.GetValue(strategyUrl)!, "--strategy-url"),
                new RabbitSettings(p.GetValue(host)!, p.GetValue(port), p.GetValue(vhost)!, p.GetValue(user)!, p.GetValue(password)!),
                TimeSpan.FromSeconds(p.GetValue(settle)), TimeSpan.FromSeconds(p.GetValue(timeout)), p.GetValue(token), floorOfficers);
            var result = await RunLiveAsync(config, options, p.GetValue(json), error, ct);
            var figures = await ServiceFigureSet.ReadAsync(p.GetValue(riskUrl) is { Length: > 0 } r ? Url(r, "--risk-url") : null,
                p.GetValue(performanceUrl) is { Length: > 0 } f ? Url(f, "--performance-url") : null, ct, p.GetValue(token));
            if (!p.GetValue(json))
                PrintReport(result.Report, output, result, figures);
            if (p.GetValue(json) || p.GetValue(tableAndJson))
                output.WriteLine(JsonSerializer.Serialize(Summary(result.Report, result, figures), SummaryJson));
            return result.PaymentsRecorded == result.PaymentsPublished ? 0 : 1;
        });
        return cmd;
    }

    private static async Task<LiveRunResult> RunLiveAsync(SimulationConfig config, LiveRunOptions options, bool json, TextWriter error, CancellationToken ct)
    {
        if (!json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            LiveRunResult? result = null;
            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("starting", maxValue: options.Months);
                    var progress = new Progress<LiveProgress>(p =>
                    {
                        bar.Value = Math.Max(0, p.Month - (p.Stage == "month done" ? 0 : 1));
                        bar.Description = $"month {p.Month}/{p.Months} {p.Stage}: payments {p.PaymentsRecorded}/{p.PaymentsPublished}, strategies {p.StrategiesReceived}, tasks {p.TasksWorked}";
                    });
                    result = await new LiveRun(config, options, progress).RunAsync(ct);
                    bar.Value = options.Months;
                });
            return result!;
        }
        var log = new Progress<LiveProgress>(p =>
        {
            if (p.Stage == "month done")
                error.WriteLine($"month {p.Month}/{p.Months}: payments {p.PaymentsRecorded}/{p.PaymentsPublished}, strategies {p.StrategiesReceived}, tasks {p.TasksWorked}");
        });
        return await new LiveRun(config, options, log).RunAsync(ct);
    }

    private static Command WriteCsvCommand(TextWriter output)
    {
        var loans = Loans(500);
        var outFile = new Option<string>("--out") { Description = "CSV file to write (the seed file's 21 columns).", Required = true };
        var seed = Seed();
        var simConfig = SimConfig();
        var json = Json();
        var cmd = new Command("write-csv", "Write the portfolio in the seed file's schema, outcome columns from a simulated historical period (history.months).")
            { loans, outFile, seed, simConfig, json };
        cmd.SetAction(p =>
        {
            var config = LoadConfig(p.GetValue(simConfig));
            var (n, _) = Check(p.GetValue(loans), 1);
            var rows = PortfolioCsv.History(config, PortfolioGenerator.Generate(config, n, p.GetValue(seed)), p.GetValue(seed));
            var path = p.GetValue(outFile)!;
            File.WriteAllText(path, PortfolioCsv.Write(rows));
            var counts = rows.GroupBy(r => r.RecoveryStatus).ToDictionary(g => g.Key, g => g.Count());
            if (p.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new { file = Path.GetFullPath(path), rows = rows.Count, recoveryStatus = counts }, SummaryJson));
            else
                output.WriteLine($"wrote {rows.Count} rows to {path} ({string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))})");
            return 0;
        });
        return cmd;
    }

    private static Command ReportCommand(TextWriter output)
    {
        var loans = Loans(2000);
        var months = Months(12);
        var seed = Seed();
        var simConfig = SimConfig();
        var json = Json();
        var cmd = new Command("report", "Offline, without the services: recovery of the baseline policy, each fixed strategy and the oracle on the same borrowers and draws, and the best strategy per kind of borrower.")
            { loans, months, seed, simConfig, json };
        cmd.SetAction(p =>
        {
            var config = LoadConfig(p.GetValue(simConfig));
            var (n, m) = Check(p.GetValue(loans), p.GetValue(months));
            var report = Counterfactuals.Evaluate(config, PortfolioGenerator.Generate(config, n, p.GetValue(seed)), p.GetValue(seed), m);
            if (p.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(Summary(report, null), SummaryJson));
            else
                PrintReport(report, output, null);
            return 0;
        });
        return cmd;
    }

    /// <summary>The final JSON object.</summary>
    public static Dictionary<string, object?> Summary(RecoveryReport report, LiveRunResult? live) => Summary(report, live, null);

    /// <summary>
    /// The final JSON object; with a live run, also what the services reported. <c>outcomes</c> is the number of recovery
    /// episodes PerformanceTracking closed when it was asked, else the tasks the floor worked (also in <c>tasksWorked</c>).
    /// <c>p99PaymentToStrategyMs</c> is measured by the simulator itself, from publishing a payment to hearing its loan's
    /// strategy (see <see cref="PaymentToStrategyLatency"/>); null when no strategy was heard.
    /// </summary>
    public static Dictionary<string, object?> Summary(RecoveryReport report, LiveRunResult? live, ServiceFigureSet? figures)
    {
        var summary = new Dictionary<string, object?>
        {
            ["loans"] = report.Loans,
            ["months"] = report.Months,
            ["seed"] = report.Seed,
            ["delinquentLoans"] = report.Baseline.Total.Loans,
        };
        if (live is not null)
        {
            summary["payments"] = live.PaymentsPublished;
            summary["paymentsRecorded"] = live.PaymentsRecorded;
            summary["strategiesAssigned"] = live.StrategiesReceived;
            summary["outcomes"] = live.TasksWorked;
            summary["elapsedSeconds"] = Math.Round(live.Elapsed.TotalSeconds, 1);
            summary["p50PaymentToStrategyMs"] = RoundMs(live.PaymentToStrategy.P50);
            summary["p99PaymentToStrategyMs"] = RoundMs(live.PaymentToStrategy.P99);
        }
        if (live is not null && figures is not null)
        {
            summary["scored"] = figures.Scored;
            summary["outcomes"] = figures.Outcomes;
            summary["tasksWorked"] = live.TasksWorked;
            summary["modelsPromoted"] = figures.ModelsPromoted;
            summary["policiesPromoted"] = figures.PoliciesPromoted;
            summary["championModel"] = figures.ChampionModel;
            summary["finalModelAuc"] = figures.FinalModelAuc;
        }
        summary["recoveryRate"] = report.System is null ? null : Round(report.System.Total.RecoveryRate);
        summary["recoveryAmount"] = report.System?.Total.Net;
        summary["baselineRecoveryRate"] = Round(report.Baseline.Total.RecoveryRate);
        summary["baselineRecoveryAmount"] = report.Baseline.Total.Net;
        summary["oracleRecoveryRate"] = Round(report.Oracle.Total.RecoveryRate);
        summary["oracleRecoveryAmount"] = report.Oracle.Total.Net;
        summary["gapClosed"] = report.GapClosed is { } g ? Round(g) : null;
        summary["knownGroupRecoveryRate"] = report.KnownGroup is { } known ? Round(known.Total.RecoveryRate) : null;
        summary["knownGroupGapClosed"] = report.KnownGroupGapClosed is { } k ? Round(k) : null;
        summary["oracleInExpectationRecoveryRate"] = report.OracleInExpectation is { } expected ? Round(expected.Total.RecoveryRate) : null;
        summary["gapClosedInExpectation"] = report.GapClosedInExpectation is { } e ? Round(e) : null;
        summary["knownGroupGapClosedInExpectation"] = report.KnownGroupGapClosedInExpectation is { } ke ? Round(ke) : null;
        summary["fixedRecoveryRates"] = report.Fixed.ToDictionary(f => f.Policy, f => Round(f.Total.RecoveryRate));
        summary["recoveryByStrategy"] = (report.System ?? report.Baseline).ByStrategy.ToDictionary(b => b.Key,
            b => new { loans = b.Value.Loans, amount = b.Value.Net, rate = Round(b.Value.RecoveryRate) });
        summary["bestStrategyByGroup"] = report.BestStrategyByGroup;
        if (report.ByMonth is { } byMonth)
            summary["gapClosedByMonth"] = byMonth.Select(m => new
            {
                month = m.Month, systemNet = m.SystemNet, baselineNet = m.BaselineNet, oracleNet = m.OracleNet,
                gapClosed = m.GapClosed is { } g ? Round(g) : (double?)null,
                gapClosedToDate = m.GapClosedToDate is { } t ? Round(t) : (double?)null,
                systemStrategies = m.SystemStrategies,
                agreesWithOracle = m.AgreesWithOracle is { } a ? Round(a) : (double?)null,
            }).ToArray();
        return summary;
    }

    private static void PrintReport(RecoveryReport report, TextWriter output, LiveRunResult? live, ServiceFigureSet? figures = null)
    {
        if (live is not null)
            output.WriteLine($"loans {live.LoansPublished} (recorded {live.LoansRecorded}), payments {live.PaymentsPublished} (recorded {live.PaymentsRecorded}), " +
                $"strategies {live.StrategiesReceived}, tasks worked {live.TasksWorked}, {live.Elapsed.TotalSeconds:0.0} s");
        if (live?.PaymentToStrategy is { P50: { } p50, P99: { } p99 } latency)
            output.WriteLine($"payment to strategy heard: p50 {p50:N0} ms, p95 {latency.P95:N0} ms, p99 {p99:N0} ms over {latency.Measured} strategies " +
                "(each month's instalments are published at once, so this includes waiting behind the month's batch)");
        output.WriteLine($"{report.Loans} loans, {report.Months} months, seed {report.Seed}: {report.Baseline.Total.Loans} fell behind");
        output.WriteLine($"{"policy",-22} {"recovery rate",14} {"net recovered",16} {"owed",16} {"costs",12}");
        var rows = new List<PolicyResult>();
        if (report.System is not null)
            rows.Add(report.System);
        rows.Add(report.Baseline);
        rows.AddRange(report.Fixed);
        rows.Add(report.Oracle);
        if (report.OracleInExpectation is not null)
            rows.Add(report.OracleInExpectation);
        if (report.KnownGroup is not null)
            rows.Add(report.KnownGroup);
        foreach (var r in rows)
            output.WriteLine($"{r.Policy,-22} {r.Total.RecoveryRate,14:P1} {r.Total.Net,16:N0} {r.Total.Owed,16:N0} {r.Total.Costs,12:N0}");
        if (report.GapClosed is { } gap)
            output.WriteLine($"share of the baseline→oracle gap closed by the system: {gap:P1}");
        if (report.GapClosedInExpectation is { } expectedGap)
            output.WriteLine($"share of the baseline→OracleInExpectation gap closed by the system (each borrower's best fixed strategy in expectation, without its future luck): {expectedGap:P1}");
        if (report.KnownGroupGapClosed is { } reachable)
            output.WriteLine($"share of the baseline→oracle gap closed by KnownGroup (each borrower given its kind's best fixed strategy, from the hidden truth): {reachable:P1}" +
                (report.KnownGroupGapClosedInExpectation is { } knownExpected ? $"; of the baseline→OracleInExpectation gap: {knownExpected:P1}" : ""));
        if (report.ByMonth is { } byMonth)
            output.WriteLine("gap closed by month (in the month / to date): " + string.Join(", ", byMonth.Select(m =>
                $"{m.Month} {Percent(m.GapClosed)}/{Percent(m.GapClosedToDate)}")));
        if (report.ByMonth is { } months && months.Any(m => m.AgreesWithOracle is not null))
            output.WriteLine("system strategies that are the oracle's choice, by month: " + string.Join(", ", months.Select(m =>
                $"{m.Month} {Percent(m.AgreesWithOracle)}")));
        if (live is not null)
        {
            output.WriteLine($"{"strategy (system)",-22} {"loans",8} {"net recovered",16} {"recovery rate",14}");
            foreach (var (strategy, figures1) in (report.System ?? report.Baseline).ByStrategy)
                output.WriteLine($"{strategy,-22} {figures1.Loans,8} {figures1.Net,16:N0} {figures1.RecoveryRate,14:P1}");
        }
        if (figures is not null && live is not null)
            output.WriteLine($"models promoted {Show(figures.ModelsPromoted)}, champion {figures.ChampionModel ?? "none"} " +
                $"(AUC {(figures.FinalModelAuc is { } auc ? auc.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")}), " +
                $"policies promoted {Show(figures.PoliciesPromoted)}, episodes closed {Show(figures.Outcomes)}");
        output.WriteLine("best fixed strategy per kind of borrower (ground truth): " +
            string.Join(", ", report.BestStrategyByGroup.Select(b => $"{b.Key} {b.Value}")));
    }

    private static double Round(double value) => Math.Round(value, 4);
    private static double? RoundMs(double? milliseconds) => milliseconds is { } ms ? Math.Round(ms, 1) : null;

    private static string Percent(double? share) => share?.ToString("P0", CultureInfo.InvariantCulture) ?? "n/a";

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    private static int CheckOfficers(int officers) =>
        officers is >= 1 and <= 64 ? officers : throw new UsageException($"--officers must be between 1 and 64 (was {officers})");

    private static (int Loans, int Months) Check(int loans, int months)
    {
        if (loans is < 1 or > 1_000_000)
            throw new UsageException($"--loans must be between 1 and 1000000 (was {loans})");
        if (months is < 1 or > 120)
            throw new UsageException($"--months must be between 1 and 120 (was {months})");
        return (loans, months);
    }

    private static Uri Url(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new UsageException($"{option} is not an absolute URL: '{text}'");

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}

public sealed class UsageException(string message) : Exception(message);
