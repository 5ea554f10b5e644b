using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;
using RabbitMQ.Client;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// The five services and the simulator, each connected to the broker as its own user (deploy/rabbitmq/users.conf) on a
/// throw-away virtual host where those users have exactly their provisioned permissions, on one throw-away database.
/// Beside it, <see cref="Mirror"/>: an empty copy of the queues and exchanges the running system declared, with the same
/// permissions, where users can be tried on every queue and exchange without disturbing the running services.
/// </summary>
public sealed class ServicesAsBrokerUsers : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];

    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost Live { get; private set; } = null!;
    public ThrowawayVirtualHost Mirror { get; private set; } = null!;
    public HttpClient Ingestion { get; private set; } = null!;
    public CoreBankingPublisher CoreBanking { get; private set; } = null!;
    public AssignedStrategyBook HeardByTheFloor { get; } = new();
    public StrategyAssignedListener Floor { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        Live = await ThrowawayVirtualHost.CreateAsync();
        await Live.GrantServiceUsersAsync();

        Ingestion = Start(new ServiceHost<IngestionOptions>(Database, Live, "ingestion", As(BrokerPrograms.Ingestion)));
        Start(new ServiceHost<SegmentationOptions>(Database, Live, "segmentation", As(BrokerPrograms.Segmentation)));
        Start(new ServiceHost<RiskScoringOptions>(Database, Live, "risk", As(BrokerPrograms.RiskScoring)));
        Start(new ServiceHost<StrategyAssignmentOptions>(Database, Live, "strategy", As(BrokerPrograms.StrategyAssignment)));
        Start(new ServiceHost<PerformanceTrackingOptions>(Database, Live, "performance", As(BrokerPrograms.PerformanceTracking)));

        var simulator = BrokerUsers.Named(BrokerPrograms.Simulator.User);
        var settings = new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, Live.Name, simulator.Name, simulator.Password);
        CoreBanking = await CoreBankingPublisher.ConnectAsync(settings, CancellationToken.None);
        Floor = await StrategyAssignedListener.StartAsync(settings, HeardByTheFloor, CancellationToken.None);

        Mirror = await ThrowawayVirtualHost.CreateAsync();
        await Mirror.GrantServiceUsersAsync();
        await CopyTopologyAsync(Live, Mirror);
    }

    private HttpClient Start<T>(ServiceHost<T> host) where T : class
    {
        _hosts.Add(host);
        return host.Start();
    }

    private static Dictionary<string, string?> As(BrokerProgram program)
    {
        var user = BrokerUsers.Named(program.User);
        return new Dictionary<string, string?> { ["RabbitMq:Username"] = user.Name, ["RabbitMq:Password"] = user.Password };
    }

    /// <summary>
    /// The queues and exchanges of one virtual host declared, empty and unbound, in another (as the administrator), and the
    /// exchange of every message a program publishes, including those nobody has published yet (ModelPromoted, say).
    /// </summary>
    private static async Task CopyTopologyAsync(ThrowawayVirtualHost from, ThrowawayVirtualHost to)
    {
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestEnvironment.RabbitPort, VirtualHost = to.Name,
            UserName = TestEnvironment.RabbitUser, Password = TestEnvironment.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var exchanges = await from.ExchangesAsync();
        foreach (var exchange in exchanges)
            await channel.ExchangeDeclareAsync(exchange.Name, exchange.Type, exchange.Durable);
        foreach (var missing in BrokerPrograms.MessageExchanges.Where(name => exchanges.All(e => e.Name != name)))
            await channel.ExchangeDeclareAsync(missing, missing == BrokerPrograms.CoreBanking ? ExchangeType.Topic : ExchangeType.Fanout, durable: true);
        foreach (var queue in await from.QueueNamesAsync())
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    }

    public async ValueTask DisposeAsync()
    {
        // Whatever a failed start left behind, in reverse order.
        if (Floor is not null)
            await Floor.DisposeAsync();
        if (CoreBanking is not null)
            await CoreBanking.DisposeAsync();
        for (var i = _hosts.Count - 1; i >= 0; i--)
            await _hosts[i].DisposeAsync();
        if (Mirror is not null)
            await Mirror.DisposeAsync();
        if (Live is not null)
            await Live.DisposeAsync();
        if (Database is not null)
            await Database.DisposeAsync();
    }
}
