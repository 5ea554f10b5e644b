using MassTransit;

namespace LoanRecovery.Testing;

/// <summary>A MassTransit bus on a test's virtual host, standing in for another service that publishes events.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public static async Task<TestBus> StartAsync(ThrowawayVirtualHost virtualHost)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            cfg.Host("127.0.0.1", (ushort)TestEnvironment.RabbitPort, virtualHost.Name, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            }));
        await bus.StartAsync();
        return new TestBus(bus);
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        _bus.Publish(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
