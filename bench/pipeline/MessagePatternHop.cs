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
        // Every delivery is counted, not only the last stage's: a measurement ends when every queue is empty, so that
        // nothing of it is left for the next phase.
        async Task Pass<TNext>(ConsumeContext context, TNext next) where TNext : class
        {
            await context.Publish(next);
            counter.Arrived();
        }
        Task Drop()
        {
            counter.Arrived();
            return Task.CompletedTask;
        }
        var bus = BenchBus.Create(rabbit, cfg =>
        {
            cfg.Endpoint<PatternPayment>("bench-pattern-ingestion", prefetch, c => Pass(c, new PatternPaymentRecorded(c.Message.Sequence)));
            cfg.Endpoint<PatternPaymentRecorded>("bench-pattern-segmentation", prefetch, _ => Drop());
            cfg.Endpoint<PatternPaymentRecorded>("bench-pattern-risk", prefetch, c => Pass(c, new PatternRiskScored(c.Message.Sequence)));
            cfg.Endpoint<PatternPaymentRecorded>("bench-pattern-strategy-payment", prefetch, _ => Drop());
            cfg.Endpoint<PatternPaymentRecorded>("bench-pattern-performance-payment", prefetch, _ => Drop());
            cfg.Endpoint<PatternRiskScored>("bench-pattern-strategy-score", prefetch, c => Pass(c, new PatternStrategyAssigned(c.Message.Sequence)));
            cfg.Endpoint<PatternRiskScored>("bench-pattern-performance-score", prefetch, _ => Drop());
            cfg.Endpoint<PatternStrategyAssigned>("bench-pattern-performance-strategy", prefetch, _ => Drop());
            cfg.Endpoint<PatternStrategyAssigned>("bench-pattern-listener", prefetch, _ => Drop());
        });
        var seconds = await BenchBus.TimeAsync(bus, counter, Math.Min(payments, 1_000), payments, Deliveries, publishesInFlight,
            i => new PatternPayment(i), cancellationToken);
        return new MessagePatternResult(payments, seconds, Publishes, Deliveries);
    }
}
