using System.Diagnostics;
using LoanRecovery.Simulator.Transport;
using MassTransit;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>
/// The bus the hop measurements run on, with the services' settings (durable queues, persistent messages, publisher
/// confirms, their prefetch), and the timing both share: a warm-up round, then a timed round from the first publish until
/// every expected delivery has been consumed.
/// </summary>
internal static class BenchBus
{
    public static IBusControl Create(RabbitSettings rabbit, Action<IRabbitMqBusFactoryConfigurator> endpoints) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
            {
                h.Username(rabbit.User);
                h.Password(rabbit.Password);
                h.PublisherConfirmation = true;
            });
            endpoints(cfg);
        });

    public static void Endpoint<T>(this IRabbitMqBusFactoryConfigurator cfg, string queue, int prefetch, MessageHandler<T> handle)
        where T : class =>
        cfg.ReceiveEndpoint(queue, endpoint =>
        {
            endpoint.Durable = true;
            endpoint.PrefetchCount = prefetch;
            endpoint.Handler(handle);
        });

    /// <summary>
    /// Starts the bus, publishes <paramref name="warmup"/> messages (connections, topology and JIT are not part of the figure),
    /// then <paramref name="count"/> timed ones, <paramref name="publishesInFlight"/> awaiting their confirm at a time; each
    /// message is expected to cause <paramref name="deliveriesPerMessage"/> counted deliveries. Returns the timed seconds.
    /// </summary>
    public static async Task<double> TimeAsync(IBusControl bus, ArrivalCounter counter, int warmup, int count, int deliveriesPerMessage,
        int publishesInFlight, Func<int, object> message, CancellationToken cancellationToken)
    {
        await bus.StartAsync(cancellationToken);
        try
        {
            await PublishAsync(bus, counter, warmup, deliveriesPerMessage, publishesInFlight, message, cancellationToken);
            var clock = Stopwatch.StartNew();
            await PublishAsync(bus, counter, count, deliveriesPerMessage, publishesInFlight, message, cancellationToken);
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task PublishAsync(IBusControl bus, ArrivalCounter counter, int count, int deliveriesPerMessage,
        int publishesInFlight, Func<int, object> message, CancellationToken cancellationToken)
    {
        var allArrived = counter.Expect(count * deliveriesPerMessage);
        var inFlight = new List<Task>(publishesInFlight);
        for (var i = 0; i < count; i++)
        {
            inFlight.Add(bus.Publish(message(i), cancellationToken));
            if (inFlight.Count == publishesInFlight)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }
        await Task.WhenAll(inFlight);
        await allArrived.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
    }
}
