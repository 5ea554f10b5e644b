using System.Diagnostics;
using LoanRecovery.Simulator.Transport;
using MassTransit;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>The message of the raw hop: nothing but a sequence number, so the figure is the bus's and the broker's alone.</summary>
public sealed record RawHopPing(int Sequence);

/// <summary>One raw hop measurement: messages, seconds from the first publish to the last consume, rate.</summary>
public sealed record RawHopResult(int Messages, double Seconds, int Prefetch, int PublishesInFlight)
{
    public double PerSecond => Messages / Seconds;
}

/// <summary>
/// One MassTransit publish→consume hop on the same broker as the services and with their bus settings: a durable queue,
/// persistent messages, publisher confirms, the services' prefetch; the consumer does nothing. This is the ceiling a
/// pipeline stage (consume, transaction, outbox, relay publish) is compared with.
/// </summary>
public static class RawHop
{
    private const string Queue = "bench-raw-hop";

    public static async Task<RawHopResult> MeasureAsync(RabbitSettings rabbit, int messages, int prefetch, int publishesInFlight,
        CancellationToken cancellationToken)
    {
        var counter = new ArrivalCounter();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
            {
                h.Username(rabbit.User);
                h.Password(rabbit.Password);
                h.PublisherConfirmation = true;
            });
            cfg.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.Durable = true;
                endpoint.PrefetchCount = prefetch;
                endpoint.Handler<RawHopPing>(_ =>
                {
                    counter.Arrived();
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            // Warm-up: connections, topology and JIT are not part of the figure.
            await PublishAsync(bus, counter, Math.Min(messages, 2_000), publishesInFlight, cancellationToken);
            var clock = Stopwatch.StartNew();
            await PublishAsync(bus, counter, messages, publishesInFlight, cancellationToken);
            return new RawHopResult(messages, clock.Elapsed.TotalSeconds, prefetch, publishesInFlight);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task PublishAsync(IBusControl bus, ArrivalCounter counter, int messages, int publishesInFlight,
        CancellationToken cancellationToken)
    {
        var allArrived = counter.Expect(messages);
        var inFlight = new List<Task>(publishesInFlight);
        for (var i = 0; i < messages; i++)
        {
            inFlight.Add(bus.Publish(new RawHopPing(i), cancellationToken));
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
