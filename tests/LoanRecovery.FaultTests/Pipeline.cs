using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;


namespace LoanRecovery.FaultTests;

/// <summary>The five services of the pipeline, by the name each one gives its broker connection (<c>Service:Name</c>).</summary>
public enum Service
{
    Ingestion,
    Segmentation,
    RiskScoring,
    StrategyAssignment,
    PerformanceTracking,
}

/// <summary>
/// The five services hosted in-process on one throw-away database and one virtual host, as in the end-to-end test, with
/// clocks short enough that an episode closes a few seconds after its strategy. A service can be crashed (its host
/// disposed without the relay finishing) and started again on the same database and virtual host, with or without a
/// test-only hook (<see cref="IServiceCollection"/> registrations run after the service's own).
/// </summary>
public sealed class Pipeline : IAsyncDisposable
{
    /// <summary>How long after its strategy an episode closes (wall clock): outcomes flow within a test.</summary>
    public static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(3);

    private readonly Dictionary<Service, RunningService> _running = [];
    private readonly Dictionary<Service, DeliveryWatch> _watches = Enum.GetValues<Service>().ToDictionary(s => s, _ => new DeliveryWatch());

    private Pipeline(ThrowawayDatabase database, ThrowawayVirtualHost virtualHost)
    {
        Database = database;
        VirtualHost = virtualHost;
    }

    public ThrowawayDatabase Database { get; }
    public ThrowawayVirtualHost VirtualHost { get; }

    public HttpClient this[Service service] => _running[service].Client;

    public IServiceProvider ServicesOf(Service service) => _running[service].Services;

    /// <summary>What each service's consumers finished, across its restarts.</summary>
    public IReadOnlyDictionary<Service, DeliveryWatch> Deliveries => _watches;

    /// <summary>Creates the database and virtual host and starts every service but <paramref name="notStarted"/>.</summary>
    public static async Task<Pipeline> StartAsync(IReadOnlyCollection<Service>? notStarted = null)
    {
        var pipeline = new Pipeline(await ThrowawayDatabase.CreateAsync(), await ThrowawayVirtualHost.CreateAsync());
        foreach (var service in Enum.GetValues<Service>().Except(notStarted ?? []))
            pipeline.Start(service);
        return pipeline;
    }

    /// <summary>
    /// Disposes the service's host as a crash would (its relay does not finish its work) and starts a fresh one on the same
    /// database and virtual host.
    /// </summary>
    public async Task RestartAsync(Service service, Action<IServiceCollection>? hooks = null)
    {
        await CrashAsync(service);
        Start(service, hooks);
    }

    /// <summary>
    /// Starts the service with a broker user of its own, which <see cref="Servers.RemoveBrokerUserAsync"/> later removes: once its
    /// process is killed, an in-process host must not reach the broker again (its bus would reconnect on its own otherwise,
    /// a ghost consuming with a disposed container, which a dead process never is).
    /// </summary>
    public async Task<string> StartWithOwnBrokerUserAsync(Service service, Action<IServiceCollection>? hooks = null)
    {
        var user = "lr-fault-" + Guid.NewGuid().ToString("N")[..8];
        await Servers.CreateBrokerUserAsync(user, user + "-pw", VirtualHost.Name);
        Start(service, hooks, new Dictionary<string, string?> { ["RabbitMq:Username"] = user, ["RabbitMq:Password"] = user + "-pw" });
        return user;
    }

    /// <summary>Disposes the service's host, its in-flight work unfinished.</summary>
    public async Task CrashAsync(Service service)
    {
        var running = _running[service];
        _running.Remove(service);
        await running.Host.DisposeAsync();
    }

    public void Start(Service service, Action<IServiceCollection>? hooks = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Action<IServiceCollection> configure = services =>
        {
            services.AddReceiveObserver(_ => _watches[service]);
            hooks?.Invoke(services);
        };
        Dictionary<string, string?>? With(Dictionary<string, string?>? own)
        {
            if (settings is null)
                return own;
            var merged = new Dictionary<string, string?>(own ?? []);
            foreach (var (key, value) in settings)
                merged[key] = value;
            return merged;
        }
        _running[service] = service switch
        {
            Service.Ingestion => Run(new ServiceHost<IngestionOptions>(Database, VirtualHost, "ingestion", With(null), configure)),
            Service.Segmentation => Run(new ServiceHost<SegmentationOptions>(Database, VirtualHost, "segmentation", With(null), configure)),
            Service.RiskScoring => Run(new ServiceHost<RiskScoringOptions>(Database, VirtualHost, "risk", With(new Dictionary<string, string?>
            {
                // As in the end-to-end test: a first model once a few dozen outcomes are back.
                ["RiskScoring:MinimumTrainingRows"] = "40",
                ["RiskScoring:ColdStartQuietPeriod"] = "00:00:01",
                ["RiskScoring:TrainerPollInterval"] = "00:00:00.500",
                ["RiskScoring:RetrainAfterOutcomes"] = "30",
                ["RiskScoring:RetrainCheckInterval"] = "00:00:01",
                ["RiskScoring:Trees"] = "60",
                ["RiskScoring:BootstrapResamples"] = "200",
            }), configure)),
            Service.StrategyAssignment => Run(new ServiceHost<StrategyAssignmentOptions>(Database, VirtualHost, "strategy", With(null), configure)),
            Service.PerformanceTracking => Run(new ServiceHost<PerformanceTrackingOptions>(Database, VirtualHost, "performance", With(new Dictionary<string, string?>
            {
                ["PerformanceTracking:ObservationWindow"] = ObservationWindow.ToString("c"),
                ["PerformanceTracking:CloseCheckInterval"] = "00:00:00.500",
            }), configure)),
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
    }

    private static RunningService Run<T>(ServiceHost<T> host) where T : class
    {
        var client = host.Start();
        return new RunningService(host, host.Services, client);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enum.GetValues<Service>().Reverse())
            if (_running.Remove(service, out var running))
                await running.Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed record RunningService(IAsyncDisposable Host, IServiceProvider Services, HttpClient Client);
}
