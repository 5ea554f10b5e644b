using System.Collections.Concurrent;
using MassTransit;

namespace LoanRecovery.FaultTests;

/// <summary>
/// A receive observer for a service under test: notes every message its consumers finished, with its message id and
/// whether the broker flagged it as a re-delivery (a delivery that an earlier consumer never acknowledged).
/// </summary>
public sealed class DeliveryWatch : IReceiveObserver
{
    private readonly ConcurrentQueue<ConsumedDelivery> _consumed = new();

    public IReadOnlyList<ConsumedDelivery> Consumed => _consumed.ToArray();

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class
    {
        _consumed.Enqueue(new ConsumedDelivery(typeof(T).Name, context.MessageId, context.ReceiveContext.Redelivered));
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;
    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;
    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;
    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}

/// <summary>A message a consumer finished: its type, message id and whether the broker re-delivered it.</summary>
public sealed record ConsumedDelivery(string MessageType, Guid? MessageId, bool Redelivered);
