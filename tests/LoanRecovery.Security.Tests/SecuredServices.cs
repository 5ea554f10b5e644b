using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// Ingestion, RiskScoring, StrategyAssignment and PerformanceTracking started on one throw-away database and virtual host:
/// their migrations applied, their APIs up.
/// </summary>
public sealed class SecuredServices : IAsyncLifetime
{
    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceHost<IngestionOptions> Ingestion { get; private set; } = null!;
    public ServiceHost<RiskScoringOptions> Risk { get; private set; } = null!;
    public ServiceHost<StrategyAssignmentOptions> Strategy { get; private set; } = null!;
    public ServiceHost<PerformanceTrackingOptions> Performance { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        Ingestion = new ServiceHost<IngestionOptions>(Database, VirtualHost, "ingestion");
        Risk = new ServiceHost<RiskScoringOptions>(Database, VirtualHost, "risk");
        Strategy = new ServiceHost<StrategyAssignmentOptions>(Database, VirtualHost, "strategy");
        Performance = new ServiceHost<PerformanceTrackingOptions>(Database, VirtualHost, "performance");
        // Starting a service applies its migrations.
        Ingestion.Start();
        Risk.Start();
        Strategy.Start();
        Performance.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await Performance.DisposeAsync();
        await Strategy.DisposeAsync();
        await Risk.DisposeAsync();
        await Ingestion.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
