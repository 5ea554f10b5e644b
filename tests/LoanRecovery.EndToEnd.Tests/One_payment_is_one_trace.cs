using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;

namespace LoanRecovery.EndToEnd.Tests;

/// <summary>
/// Ops follow a payment in Grafana as one trace: the core banking message starts it in Ingestion, and the trace context
/// travels with every event the services publish (through each outbox) to the consumers of every other service. The
/// spans are captured in-process with an <see cref="ActivityListener"/>, exactly what the OpenTelemetry SDK in each
/// service exports.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class One_payment_is_one_trace : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>The queue-name prefix of each service's receive endpoints (the service name, kebab-cased).</summary>
    private static readonly string[] Services = ["ingestion-", "segmentation-", "risk-scoring-", "strategy-assignment-", "performance-tracking-"];

    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener _listener = null!;
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
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "MassTransit" || source.Name.StartsWith("LoanRecovery.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
        _ingestion = new ServiceHost<IngestionOptions>(_database, _vhost, "ingestion");
        _segmentation = new ServiceHost<SegmentationOptions>(_database, _vhost, "segmentation");
        _risk = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk");
        _strategy = new ServiceHost<StrategyAssignmentOptions>(_database, _vhost, "strategy");
        _performance = new ServiceHost<PerformanceTrackingOptions>(_database, _vhost, "performance");
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
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
    public async Task A_missed_instalment_is_followed_from_Ingestion_through_every_service_under_one_trace_id()
    {
        var ingestion = _ingestion.Start();
        _segmentation.Start();
        _risk.Start();
        _strategy.Start();
        _performance.Start();
        var strategies = await _probe.ListenAsync("LoanRecovery.Contracts.StrategyAssigned");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await _probe.PublishRawAsync("core-banking", "loan", JsonSerializer.Serialize(new
        {
            loanId = "TRACE_LN_1", borrowerId = "TRACE_BRW_1", age = 41, gender = "Female", employmentType = "Salaried",
            monthlyIncome = 52000m, numDependents = 2, loanAmount = 600000m, loanTenureMonths = 48, interestRate = 11.5m,
            loanType = "Personal", collateralValue = 0m, outstandingLoanAmount = 540000m, monthlyEmi = 15600m,
            openedOn = today.AddMonths(-6),
        }), "TRACE_LN_1");
        await Eventually.TrueWithinAsync(async () => (await ingestion.GetAsync("/api/loans/TRACE_LN_1")).IsSuccessStatusCode, Wait);

        // Nothing paid of an instalment due 40 days ago: the loan is delinquent, so the payment is scored and a strategy assigned.
        await _probe.PublishRawAsync("core-banking", "payment.TRACE_LN_1", JsonSerializer.Serialize(new
        {
            paymentId = "TRACE_PAY_1", loanId = "TRACE_LN_1", dueDate = today.AddDays(-40), amountDue = 15600m, amountPaid = 0m,
        }), "TRACE_PAY_1");
        await Eventually.TrueWithinAsync(() => Task.FromResult(strategies.Messages.Count > 0), Wait);
        Assert.NotEmpty(strategies.Messages);

        // The payment's trace starts where Ingestion consumed the core banking message of this test's virtual host, in
        // the loan's payment partition (ingestion-core-banking-payment-p0 …).
        var root = await Eventually.FoundWithinAsync(() => _spans.FirstOrDefault(s =>
            s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && Destination(s) is { } d
            && d.Contains(_vhost.Name, StringComparison.Ordinal) && d.Contains("/ingestion-core-banking-payment-p", StringComparison.Ordinal)), Wait);
        Assert.NotNull(root);
        var traceId = root.TraceId;

        // PerformanceTracking hears the strategy last; wait until its consumer's span has ended, then read the whole trace.
        await Eventually.FoundWithinAsync(() => _spans.FirstOrDefault(s => s.TraceId == traceId && ServiceOf(s) == "performance-tracking-"
            && Destination(s)!.EndsWith("strategy-assigned", StringComparison.Ordinal)), Wait);
        var trace = _spans.Where(s => s.TraceId == traceId).ToList();
        var consumedBy = trace.Where(s => s.Kind == ActivityKind.Consumer).Select(ServiceOf).OfType<string>().ToHashSet();
        var described = string.Join("\n", trace.Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} {Destination(s)}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"trace {traceId}: {trace.Count} spans\n{described}");

        Assert.All(Services, service => Assert.Contains(service, consumedBy));
        // The events crossed each hop through the outbox relay, which carried the trace on.
        Assert.Contains(trace, s => s.Source.Name == "LoanRecovery.Outbox" && s.DisplayName == "outbox publish PaymentRecorded");
        Assert.Contains(trace, s => s.Source.Name == "LoanRecovery.Outbox" && s.DisplayName == "outbox publish RiskScored");
        Assert.Contains(trace, s => s.Source.Name == "LoanRecovery.Outbox" && s.DisplayName == "outbox publish StrategyAssigned");
        // And every span of the services' queues that touched this payment belongs to the one trace.
        Assert.DoesNotContain(_spans, s => s.TraceId != traceId && s.Kind == ActivityKind.Consumer && Destination(s) is { } d
            && d.Contains(_vhost.Name, StringComparison.Ordinal) && d.EndsWith("payment-recorded", StringComparison.Ordinal));
    }

    /// <summary>The receive endpoint's address, as MassTransit tags its consume spans.</summary>
    private static string? Destination(Activity span) =>
        span.GetTagItem("messaging.masstransit.input_address") as string ?? span.GetTagItem("messaging.destination.name") as string;

    private static string? ServiceOf(Activity span) =>
        Destination(span) is { } address ? Services.FirstOrDefault(s => address[(address.LastIndexOf('/') + 1)..].StartsWith(s, StringComparison.Ordinal)) : null;
}

/// <summary>The pipeline tests run one at a time: each hosts all five services, and together they would starve a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class PipelineCollection
{
    public const string Name = "pipeline";
}
