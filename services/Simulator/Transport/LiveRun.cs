using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Transport;

public sealed record LiveRunOptions(
    int Loans,
    int Months,
    int Seed,
    string IdPrefix,
    Uri IngestionUrl,
    Uri? StrategyUrl,
    RabbitSettings Rabbit,
    TimeSpan SettleTime,
    TimeSpan MonthTimeout,
    string? BearerToken = null,
    int Officers = 4);

/// <summary>Progress of a live run, after each step.</summary>
public sealed record LiveProgress(int Month, int Months, int LoansPublished, int PaymentsPublished, int PaymentsRecorded,
    int StrategiesReceived, int TasksWorked, string Stage);

/// <summary>What a live run published and heard, the ground truth's report, and the latency it measured.</summary>
/// <param name="LoansPublished">Loans published to core banking's exchange.</param>
/// <param name="LoansRecorded">Of those, loans Ingestion recorded.</param>
/// <param name="PaymentsPublished">Payments published.</param>
/// <param name="PaymentsRecorded">Of those, payments Ingestion recorded.</param>
/// <param name="StrategiesReceived">StrategyAssigned events heard by the collection floor.</param>
/// <param name="TasksWorked">Tasks the floor claimed and recorded an outcome for.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="Report">Recovery of the system, the baseline and the oracle on the same borrowers.</param>
/// <param name="PaymentToStrategy">
/// From a payment's publication to its loan's strategy being heard. Each month's instalments are published at once, as a
/// core banking batch would be, so this includes the time a payment waits behind the rest of its month.
/// </param>
public sealed record LiveRunResult(int LoansPublished, int LoansRecorded, int PaymentsPublished, int PaymentsRecorded,
    int StrategiesReceived, int TasksWorked, TimeSpan Elapsed, RecoveryReport Report, LatencySummary PaymentToStrategy);

/// <summary>
/// The simulator against the running system: publishes the portfolio and each month's instalments to core banking's
/// exchange, listens for the strategies the system assigns, works the tasks, and lets those strategies drive the
/// borrowers' next payments. Thin: all behaviour is in <see cref="PortfolioSimulation"/>.
/// </summary>
/// <remarks>
/// The HTTP clients may be supplied (for example in-memory clients of services hosted in a test); otherwise the run creates
/// its own from <see cref="LiveRunOptions.IngestionUrl"/> and <see cref="LiveRunOptions.StrategyUrl"/>. Supplied clients are
/// not disposed by the run.
/// </remarks>
public sealed class LiveRun(SimulationConfig config, LiveRunOptions options, IProgress<LiveProgress>? progress = null,
    HttpClient? ingestionClient = null, HttpClient? strategyClient = null)
{
    public async Task<LiveRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var loans = PortfolioGenerator.Generate(config, options.Loans, options.Seed)
            .Select(l => l.WithIdPrefix(options.IdPrefix))
            .ToArray();
        var byLoanId = loans.ToDictionary(l => l.LoanId);
        var book = new AssignedStrategyBook();
        var simulation = new PortfolioSimulation(config, loans, options.Seed, options.Months, book);

        using var ownIngestionHttp = ingestionClient is null ? ServiceHttp.Create(options.IngestionUrl, options.BearerToken) : null;
        using var ownStrategyHttp = strategyClient is null && options.StrategyUrl is not null
            ? ServiceHttp.Create(options.StrategyUrl, options.BearerToken) : null;
        var ingestion = new IngestionClient(ingestionClient ?? ownIngestionHttp!);
        var strategyHttp = options.StrategyUrl is null ? null : strategyClient ?? ownStrategyHttp;
        var queue = strategyHttp is null ? null : new WorkQueueClient(strategyHttp);

        await using var publisher = await CoreBankingPublisher.ConnectAsync(options.Rabbit, cancellationToken);
        var latency = new PaymentToStrategyLatency();
        await using var listener = queue is null ? null : await StrategyAssignedListener.StartAsync(options.Rabbit, book, cancellationToken, latency);

        int paymentsPublished = 0, paymentsRecorded = 0, tasksWorked = 0;
        void Report(int month, string stage) => progress?.Report(new LiveProgress(month, options.Months, loans.Length, paymentsPublished,
            paymentsRecorded, book.Received, tasksWorked, stage));

        Report(0, "publishing loans");
        var loansPublished = await publisher.PublishLoansAsync(loans, cancellationToken);
        var loansRecorded = await ingestion.WaitForAsync(loans.Select(l => (l.LoanId, (string?)null)).ToArray(), options.MonthTimeout, cancellationToken);

        for (var month = 0; month < options.Months; month++)
        {
            var payments = simulation.Payments(month);
            Report(month + 1, "publishing payments");
            paymentsPublished += await publisher.PublishPaymentsAsync(payments, cancellationToken, latency);
            paymentsRecorded += await ingestion.WaitForAsync(payments.Select(p => (p.LoanId, (string?)p.PaymentId)).ToArray(),
                options.MonthTimeout, cancellationToken);
            if (listener is not null && queue is not null)
            {
                Report(month + 1, "waiting for strategies");
                await WaitQuietAsync(listener, cancellationToken);
                Report(month + 1, "working tasks");
                tasksWorked += await WorkTasksAsync(queue, byLoanId, simulation, month, cancellationToken);
            }
            simulation.AssignStrategies(month);
            Report(month + 1, "month done");
        }
        // The run's time is the services' and the floor's; the replays of the report that follows are the simulator's own.
        var elapsed = DateTime.UtcNow - started;
        var report = Counterfactuals.Evaluate(config, loans, options.Seed, options.Months, simulation);
        return new LiveRunResult(loansPublished, loansRecorded, paymentsPublished, paymentsRecorded, book.Received, tasksWorked,
            elapsed, report, latency.Summary());
    }

    private async Task WaitQuietAsync(StrategyAssignedListener listener, CancellationToken cancellationToken)
    {
        var paymentsRecordedAt = DateTime.UtcNow;
        var deadline = paymentsRecordedAt + options.MonthTimeout;
        while (DateTime.UtcNow < deadline
               && MonthSettling.RemainingWait(DateTime.UtcNow, paymentsRecordedAt, listener.LastReceivedUtc, options.SettleTime) > TimeSpan.Zero)
            await Task.Delay(100, cancellationToken);
    }

    private async Task<int> WorkTasksAsync(WorkQueueClient queue, Dictionary<string, SimLoan> byLoanId, PortfolioSimulation simulation, int month,
        CancellationToken cancellationToken)
    {
        const int pageSize = 500;
        var worked = 0;
        var seen = new HashSet<Guid>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var floor = new ParallelOptions { MaxDegreeOfParallelism = options.Officers, CancellationToken = cancellationToken };
        // Passes over every page of open tasks until a whole pass finds nothing new of ours. Claimed tasks leave the open
        // list, so later tasks move up to pages already read; the next pass picks them up.
        bool progressed;
        do
        {
            progressed = false;
            for (var page = 1; ; page++)
            {
                var tasks = await queue.OpenTasksAsync(page, pageSize, cancellationToken);
                var ours = tasks.Where(t => byLoanId.ContainsKey(t.LoanId) && seen.Add(t.TaskId)).ToList();
                progressed |= ours.Count > 0;
                // Several officers work the page side by side, as a floor does: each task is its own claim and outcome, and a
                // borrower's answer depends only on the loan, the month and the task, never on the order tasks are worked in.
                await Parallel.ForEachAsync(ours, floor, async (task, ct) =>
                {
                    var loan = byLoanId[task.LoanId];
                    if (!await queue.ClaimAsync(task, config.Floor.Officer, ct))
                        return;
                    var outcome = CollectionFloor.Respond(config, options.Seed, loan, simulation.States[loan.Index], month, task.Kind);
                    if (await queue.RecordAsync(task, config.Floor.Officer, outcome, today.AddDays(config.Floor.PromiseDays), ct))
                        Interlocked.Increment(ref worked);
                });
                if (tasks.Count < pageSize)
                    break;
            }
        }
        while (progressed);
        return worked;
    }
}
