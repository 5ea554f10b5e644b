using System.Diagnostics;
using LoanRecovery.Simulator.Transport;
using MassTransit;

namespace LoanRecovery.Bench.Pipeline;

// The pipeline's messages with nothing in them: what one payment costs the bus and the broker alone.
public sealed record PatternPayment(int Sequence);
public sealed record PatternPaymentRecorded(int Sequence);
public sealed record PatternRiskScored(int Sequence);
public sealed record PatternStrategyAssigned(int Sequence);

/// <summary>The message-pattern measurement: payments per second, seconds, and the broker traffic one payment makes.</summary>
public sealed record MessagePatternResult(int Payments, double Seconds, int PublishesPerPayment, int DeliveriesPerPayment)
{
    public double PerSecond => Payments / Seconds;
}

/// <summary>
/// The pipeline's message pattern with consumers that do nothing but pass the message on, on the same broker and with the
/// services' bus settings (durable queues, persistent messages, publisher confirms, their prefetch). One payment is
/// consumed by Ingestion, which publishes PaymentRecorded to the four services that consume it; RiskScoring's copy
/// publishes RiskScored to StrategyAssignment and PerformanceTracking; StrategyAssignment's copy publishes StrategyAssigned
/// to PerformanceTracking and to the benchmark's listener — 4 publishes and 9 deliveries, as in the pipeline (whose
/// services add the rarer BorrowerSegmented). No database, no work: the rate this reaches is what the bus and the broker
/// allow that pattern on this machine, a ceiling for the pipeline that no service code can lift.
/// </summary>
public static class MessagePatternHop
{
    private const int Publishes = 4;
    private const int Deliveries = 9;

    public static async Task<MessagePatternResult> MeasureAsync(RabbitSettings rabbit, int payments, int prefetch, int publishesInFlight,
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
            void Endpoint<T>(string queue, MessageHandler<T> handle) where T : class =>
                cfg.ReceiveEndpoint(queue, endpoint =>
                {
                    endpoint.Durable = true;
                    endpoint.PrefetchCount = prefetch;
                    endpoint.Handler<T>(handle);
                });
            // Every delivery is counted, not only the last stage's: a measurement ends when every queue is empty, so that
            // nothing of it is left for the next phase.
            async Task Pass<TNext>(ConsumeContext context, TNext next) where TNext : class
            {
                await context.Publish(next);
                counter.Arrived();
            }
            Task Drop() { counter.Arrived(); return Task.CompletedTask; }
            Endpoint<PatternPayment>("bench-pattern-ingestion", c => Pass(c, new PatternPaymentRecorded(c.Message.Sequence)));
            Endpoint<PatternPaymentRecorded>("bench-pattern-segmentation", _ => Drop());
            Endpoint<PatternPaymentRecorded>("bench-pattern-risk", c => Pass(c, new PatternRiskScored(c.Message.Sequence)));
            Endpoint<PatternPaymentRecorded>("bench-pattern-strategy-payment", _ => Drop());
            Endpoint<PatternPaymentRecorded>("bench-pattern-performance-payment", _ => Drop());
            Endpoint<PatternRiskScored>("bench-pattern-strategy-score", c => Pass(c, new PatternStrategyAssigned(c.Message.Sequence)));
            Endpoint<PatternRiskScored>("bench-pattern-performance-score", _ => Drop());
            Endpoint<PatternStrategyAssigned>("bench-pattern-performance-strategy", _ => Drop());
            Endpoint<PatternStrategyAssigned>("bench-pattern-listener", _ => Drop());
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            // Warm-up: connections, topology and JIT are not part of the figure.
            await PublishAsync(bus, counter, Math.Min(payments, 1_000), publishesInFlight, cancellationToken);
            var clock = Stopwatch.StartNew();
            await PublishAsync(bus, counter, payments, publishesInFlight, cancellationToken);
            return new MessagePatternResult(payments, clock.Elapsed.TotalSeconds, Publishes, Deliveries);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task PublishAsync(IBusControl bus, ArrivalCounter counter, int payments, int publishesInFlight,
        CancellationToken cancellationToken)
    {
        var allArrived = counter.Expect(payments * Deliveries);
        var inFlight = new List<Task>(publishesInFlight);
        for (var i = 0; i < payments; i++)
        {
            inFlight.Add(bus.Publish(new PatternPayment(i), cancellationToken));
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
