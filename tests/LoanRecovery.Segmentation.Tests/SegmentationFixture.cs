using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.Segmentation.Tests;

/// <summary>
/// Segmentation running in-process on its own database and virtual host, with a MassTransit bus beside it that
/// publishes the contract records as Ingestion would, and a bare AMQP listener for what the service publishes.
/// </summary>
public class SegmentationFixture : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceHost<SegmentationOptions> Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public RabbitProbe Probe { get; private set; } = null!;
    public IBus Bus => _bus!;
    /// <summary>Every BorrowerSegmented published since the fixture started.</summary>
    public EventListener Segmented { get; private set; } = null!;

    private ServiceProvider? _busServices;
    private IBusControl? _bus;

    /// <summary>The whole synthetic portfolio: the first fit waits for all of it, however slowly a loaded machine consumes.</summary>
    protected virtual int MinBorrowersToFit => Portfolio.Groups.Length * Portfolio.PerGroup;

    public virtual async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        Host = new ServiceHost<SegmentationOptions>(Database, VirtualHost, "segmentation", new Dictionary<string, string?>
        {
            ["Segmentation:MinBorrowersToFit"] = MinBorrowersToFit.ToString(),
            ["Segmentation:QuietPeriod"] = "00:00:00.300",
            ["Segmentation:FitCheckInterval"] = "00:00:00.100",
            ["Segmentation:Restarts"] = "4",
        });
        Http = Host.Start();
        Probe = await RabbitProbe.ConnectAsync(VirtualHost.Name);
        Segmented = await Probe.ListenAsync("LoanRecovery.Contracts.BorrowerSegmented");

        var services = new ServiceCollection();
        services.AddMassTransit(bus => bus.UsingRabbitMq((_, rabbit) =>
            rabbit.Host("127.0.0.1", (ushort)TestEnvironment.RabbitPort, VirtualHost.Name, host =>
            {
                host.Username(TestEnvironment.RabbitUser);
                host.Password(TestEnvironment.RabbitPassword);
            })));
        _busServices = services.BuildServiceProvider();
        _bus = _busServices.GetRequiredService<IBusControl>();
        await _bus.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
        if (_busServices is not null) await _busServices.DisposeAsync();
        await Probe.DisposeAsync();
        Http.Dispose();
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        Bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    public async Task<JsonElement> SegmentsAsync() => await Http.GetFromJsonAsync<JsonElement>("/api/segments");

    /// <summary>BorrowerSegmented messages for one borrower, in arrival order.</summary>
    public IReadOnlyList<JsonElement> SegmentedFor(string borrowerId) =>
        Segmented.Messages.Where(m => m.GetProperty("borrowerId").GetString() == borrowerId).ToArray();

    public async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} did not happen within {Wait.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}

/// <summary>The synthetic portfolio streamed in and segmented: 24 borrowers, first model fitted.</summary>
public sealed class SegmentedPortfolioFixture : SegmentationFixture
{
    public const string Prefix = "P";
    public int Borrowers => Portfolio.Groups.Length * Portfolio.PerGroup;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Task.WhenAll(Portfolio.Loans(Prefix).Select(loan => PublishAsync(loan)));
        await Segmented.WaitForAsync(Borrowers, Wait);
    }
}
