using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.ServiceDefaults.Persistence;
using LoanRecovery.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.ServiceDefaults.Tests;

public sealed record IncrementTally(string Key, bool FailAfterWrite = false);

public sealed record TallyIncremented(string Key, int Count);

public sealed class Tally
{
    public string Key { get; set; } = "";
    public int Count { get; set; }
}

public sealed class TallyDbContext(DbContextOptions<TallyDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<Tally> Tallies => Set<Tally>();

    protected override void ConfigureModel(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Tally>(e => { e.ToTable("tally"); e.HasKey(x => x.Key); });
}

/// <summary>Counts how often a key was incremented; a failure injected after the write rolls the whole unit back.</summary>
public sealed class IncrementTallyConsumer(UnitOfWork<TallyDbContext> unitOfWork, FaultPlan faults) : IConsumer<IncrementTally>
{
    public Task Consume(ConsumeContext<IncrementTally> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(IncrementTallyConsumer), async ct =>
        {
            var count = await TallyWork.IncrementAsync(unitOfWork, context.Message.Key, ct);
            if (context.Message.FailAfterWrite && faults.TryConsume(context.Message.Key))
                throw new InvalidOperationException("Injected failure after the business write, before commit");
            unitOfWork.Publish(new TallyIncremented(context.Message.Key, count));
        }, context.CancellationToken);
}

/// <summary>Failures to inject once per key.</summary>
public sealed class FaultPlan
{
    private readonly HashSet<string> _failed = [];

    public bool TryConsume(string key)
    {
        lock (_failed)
            return _failed.Add(key);
    }

    public bool HasFailed(string key)
    {
        lock (_failed)
            return _failed.Contains(key);
    }
}

public static class TallyWork
{
    public static async Task<int> IncrementAsync(UnitOfWork<TallyDbContext> unitOfWork, string key, CancellationToken ct)
    {
        await unitOfWork.Db.Database.ExecuteSqlAsync(
            $"INSERT INTO tally (key, count) VALUES ({key}, 1) ON CONFLICT (key) DO UPDATE SET count = tally.count + 1", ct);
        return await unitOfWork.Db.Tallies.Where(t => t.Key == key).Select(t => t.Count).SingleAsync(ct);
    }
}

/// <summary>A minimal service on ServiceDefaults: its own schema, the inbox, the outbox relay and a real bus.</summary>
public sealed class TallyService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TallyService(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<TallyService> StartAsync(ThrowawayDatabase database, ThrowawayVirtualHost vhost, bool relayEnabled = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(TallyService).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["Service:Name"] = "Tally",
            ["Postgres:Host"] = TestEnvironment.PostgresHost,
            ["Postgres:Port"] = TestEnvironment.PostgresPort.ToString(),
            ["Postgres:Database"] = database.Name,
            ["Postgres:Username"] = "ingestion",
            ["Postgres:Password"] = "ingestion-dev",
            ["Postgres:Schema"] = "ingestion",
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(),
            ["RabbitMq:VirtualHost"] = vhost.Name,
            ["RabbitMq:Username"] = TestEnvironment.RabbitUser,
            ["RabbitMq:Password"] = TestEnvironment.RabbitPassword,
            ["Messaging:RetryIntervals:0"] = "00:00:00.050",
            ["Messaging:RetryIntervals:1"] = "00:00:00.100",
            ["Messaging:RelayPollInterval"] = "00:00:00.100",
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["Messaging:RelayEnabled"] = relayEnabled.ToString(),
        };
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddServiceDatabase<TallyDbContext>();
        builder.Services.AddSingleton<FaultPlan>();
        builder.AddServiceBus(bus => bus.AddConsumer<IncrementTallyConsumer>());
        var app = builder.Build();
        app.MapServiceDefaults();
        await app.StartAsync();
        return new TallyService(app);
    }

    public async Task<int> TallyAsync(string key)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TallyDbContext>();
        return await db.Tallies.Where(t => t.Key == key).Select(t => t.Count).SingleOrDefaultAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
