using LoanRecovery.ServiceDefaults.Security;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.PerformanceTracking.Tests;

/// <summary>PerformanceTracking on a real database and broker, with a clock the test moves.</summary>
public sealed class PerformanceService : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    public HttpClient Http { get; private set; } = null!;
    public RabbitProbe Probe { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;
    private ServiceHost<PerformanceTrackingOptions> _host = null!;
    private WebApplicationFactory<PerformanceTrackingOptions> _clocked = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        _host = new ServiceHost<PerformanceTrackingOptions>(Database, VirtualHost, "performance", new Dictionary<string, string?>
        {
            ["PerformanceTracking:CloseCheckInterval"] = "00:00:00.100",
            ["PerformanceTracking:ContactCosts:Call"] = "4.00",
            ["PerformanceTracking:ContactCosts:Letter"] = "2.50",
            ["PerformanceTracking:DefaultContactCost"] = "1.00",
            ["PerformanceTracking:MinimumGroupSize"] = "5",
            ["PerformanceTracking:MinimumCellEpisodes"] = "5",
            ["PerformanceTracking:MinimumArmEpisodes"] = "8",
            ["PerformanceTracking:DriftReferenceSize"] = "20",
            ["PerformanceTracking:DriftMinimumSample"] = "10",
            ["PerformanceTracking:DriftRefreshInterval"] = "00:00:00.200",
            ["PerformanceTracking:PolicyLoopInterval"] = "00:00:00",
        });
        _clocked = _host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock)));
        Http = _clocked.CreateClient().WithToken(Clock, ServiceRoles.Admin);
        Probe = await RabbitProbe.ConnectAsync(VirtualHost.Name);
        Bus = await TestBus.StartAsync(VirtualHost);
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Probe.DisposeAsync();
        Http.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Publishes a score, a missed payment before the assignment and, once the score is recorded, the assignment; returns the assignment.</summary>
    public async Task<StrategyAssigned> OpenAsync(string loanId, decimal balance, RecoveryStrategy strategy, PolicyArm arm, string policy = "policy-1",
        string segment = "Stretched", double probability = 0.8, string model = "risk-1", int daysPastDue = 30, DelinquencyStage? stage = null, bool ruleBased = false)
    {
        var now = Clock.GetUtcNow();
        var scoreId = Guid.NewGuid();
        await Bus.PublishAsync(new RiskScored(scoreId, loanId, "B-" + loanId, loanId + "-P0", probability, probability > 0.75 ? RiskBand.High : RiskBand.Medium, [],
            1, segment, model, true, new Dictionary<string, double?> { ["days_past_due"] = daysPastDue, ["monthly_income"] = 30000 }, now.AddHours(-2), 0, 0,
            new Dictionary<string, double>()));
        await Bus.PublishAsync(Payment(loanId + "-P0", loanId, 0m, balance, daysPastDue, now.AddHours(-1)));
        // The score and the assignment travel on different queues; in production the score is consumed first almost
        // always, and tests that read the episode's band and segment must not depend on winning that race.
        var deadline = DateTime.UtcNow + Wait;
        while (await Database.ScalarAsync<long>($"SELECT count(*) FROM performance.score WHERE score_id = '{scoreId}'") == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"PerformanceTracking did not record the score of {loanId} within {Wait.TotalSeconds} s");
            await Task.Delay(50);
        }
        var assigned = new StrategyAssigned(Guid.NewGuid(), loanId, "B-" + loanId, strategy, ["action"], 100m, ["reason"], policy, arm, ruleBased, scoreId,
            probability, model, now, stage);
        await Bus.PublishAsync(assigned);
        return assigned;
    }

    public static PaymentRecorded Payment(string paymentId, string loanId, decimal paid, decimal balance, int daysPastDue, DateTimeOffset recordedAt) =>
        new(paymentId, loanId, "B-" + loanId, DateOnly.FromDateTime(recordedAt.UtcDateTime), 100m, paid, paid > 0 ? DateOnly.FromDateTime(recordedAt.UtcDateTime) : null,
            daysPastDue, daysPastDue > 0 ? 1 : 0, daysPastDue > 0 ? 100m : 0m, balance, recordedAt);

    public async Task<JsonElement> EpisodesAsync(bool? open = null)
    {
        var query = open is null ? "" : open.Value ? "&open=true" : "&open=false";
        return await Http.GetFromJsonAsync<JsonElement>($"/api/performance/episodes?limit=1000{query}");
    }

    public async Task WaitForEpisodesAsync(int count, bool? open)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await EpisodesAsync(open)).GetArrayLength() < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Fewer than {count} episodes (open: {open}) within {Wait.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <paramref name="episodes"/> episodes are open or closed, then moves the clock past their window and waits until all are closed.</summary>
    public async Task CloseAllAsync(int episodes)
    {
        await WaitForEpisodesAsync(episodes, open: null);
        Clock.Advance(TimeSpan.FromDays(91));
        await WaitForEpisodesAsync(episodes, open: false);
    }

    /// <summary>MassTransit writes enums as numbers.</summary>
    public static T Enum<T>(JsonElement e) where T : struct, System.Enum =>
        e.ValueKind == JsonValueKind.String ? System.Enum.Parse<T>(e.GetString()!) : (T)(object)e.GetInt32();

    /// <summary>MassTransit writes decimals as JSON strings.</summary>
    public static decimal Decimal(JsonElement e) => e.ValueKind == JsonValueKind.String ? decimal.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDecimal();
}
