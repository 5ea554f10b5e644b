using LoanRecovery.Simulator.Transport;

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
        var bus = BenchBus.Create(rabbit, cfg => cfg.Endpoint<RawHopPing>(Queue, prefetch, _ =>
        {
            counter.Arrived();
            return Task.CompletedTask;
        }));
        var seconds = await BenchBus.TimeAsync(bus, counter, Math.Min(messages, 2_000), messages, 1, publishesInFlight,
            i => new RawHopPing(i), cancellationToken);
        return new RawHopResult(messages, seconds, prefetch, publishesInFlight);
    }
}
