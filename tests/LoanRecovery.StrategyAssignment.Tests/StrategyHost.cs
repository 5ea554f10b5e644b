using LoanRecovery.ServiceDefaults.Security;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.StrategyAssignment.Tests;

/// <summary>Real time moved forward on demand (timers stay real), so promises can fall due within a test.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>StrategyAssignment on a real database and broker of its own, with a bus and a probe beside it.</summary>
public class StrategyHost : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public WebApplicationFactory<StrategyAssignmentOptions> Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public RabbitProbe Probe { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;
    public EventListener Assigned { get; private set; } = null!;
    public EventListener Completed { get; private set; } = null!;
    public ShiftedClock Clock { get; } = new();

    /// <summary>Settings beyond the test defaults (exploration off, contact allowed all day).</summary>
    protected virtual Dictionary<string, string?> Settings => new();

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        await StartAsync(Settings);
        Probe = await RabbitProbe.ConnectAsync(VirtualHost.Name);
        Assigned = await Probe.ListenAsync("LoanRecovery.Contracts.StrategyAssigned");
        Completed = await Probe.ListenAsync("LoanRecovery.Contracts.CollectionTaskCompleted");
        Bus = await TestBus.StartAsync(VirtualHost);
    }

    /// <summary>(Re)starts the service on the same database and virtual host.</summary>
    public async Task StartAsync(Dictionary<string, string?> settings)
    {
        if (Host is not null)
        {
            Http.Dispose();
            await Host.DisposeAsync();
        }
        var all = new Dictionary<string, string?>
        {
            ["StrategyAssignment:ExplorationShare"] = "0",
            ["StrategyAssignment:ContactHoursStart"] = "00:00:00",
            ["StrategyAssignment:ContactHoursEnd"] = "1.00:00:00",
            ["StrategyAssignment:DefaultTimeZone"] = "UTC",
            ["StrategyAssignment:PromiseCheckInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        Host = new ServiceHost<StrategyAssignmentOptions>(Database, VirtualHost, "strategy", all)
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock)));
        Http = Host.CreateClient().WithToken(Clock, ServiceRoles.Admin);
        (await Http.GetAsync("/health/live")).EnsureSuccessStatusCode();
    }

    public static RiskScored Score(string loanId, string borrowerId, double probability, bool usable = true, int daysPastDue = 90,
        int missedPayments = 3, double balance = 50_000, double income = 5_000, double emi = 1_200, Guid? scoreId = null, string? segment = null) =>
        new(scoreId ?? Guid.NewGuid(), loanId, borrowerId, null, probability,
            probability > 0.75 ? RiskBand.High : probability >= 0.5 ? RiskBand.Medium : RiskBand.Low, [], null, segment, "risk-test-1", usable,
            new Dictionary<string, double?>
            {
                ["days_past_due"] = daysPastDue, ["missed_payments"] = missedPayments, ["outstanding_balance"] = balance,
                ["monthly_income"] = income, ["monthly_emi"] = emi,
            },
            DateTimeOffset.UtcNow, 0, 0, new Dictionary<string, double>());

    /// <summary>Waits for the StrategyAssigned events of a loan.</summary>
    public async Task<IReadOnlyList<JsonElement>> AssignedFor(string loanId, int count = 1)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var mine = Assigned.Messages.Where(m => m.GetProperty("loanId").GetString() == loanId).ToList();
            if (mine.Count >= count)
                return mine;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{mine.Count} of {count} StrategyAssigned for {loanId} within {Wait.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the loan's decision history (<c>/api/loans/{id}/decisions</c>) has at least <paramref name="count"/> entries.</summary>
    public async Task<JsonElement[]> WaitForDecisionsAsync(string loanId, int count)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var decisions = (await Http.GetFromJsonAsync<JsonElement>($"/api/loans/{loanId}/decisions")).EnumerateArray().ToArray();
            if (decisions.Length >= count)
                return decisions;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Fewer than {count} decisions for {loanId}");
            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> AssignAsync(RiskScored score) 
    {
        var before = Assigned.Messages.Count(m => m.GetProperty("loanId").GetString() == score.LoanId);
        await Bus.PublishAsync(score, Guid.NewGuid());
        return (await AssignedFor(score.LoanId, before + 1))[before];
    }

    public async Task<List<JsonElement>> TasksAsync(string query)
    {
        var page = await Http.GetFromJsonAsync<JsonElement>("/api/tasks?pageSize=500&" + query);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public static decimal Money(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? decimal.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetDecimal();

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Probe.DisposeAsync();
        Http.Dispose();
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public static class JsonEnums
{
    /// <summary>An enum value's name whether it was written as a name (HTTP API) or as a number (MassTransit's envelope).</summary>
    public static string EnumName<TEnum>(this JsonElement value) where TEnum : struct, Enum =>
        value.ValueKind == JsonValueKind.Number ? Enum.GetName(typeof(TEnum), value.GetInt32())! : value.GetString()!;
}
