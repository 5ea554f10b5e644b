using System.Collections.Concurrent;
using System.Text.Json;
using LoanRecovery.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LoanRecovery.FaultTests;

/// <summary>
/// Hears every event the pipeline publishes on the way from a payment to an outcome, as one more subscriber: a durable
/// queue per event type (so that it survives a broker restart like the services' own queues) bound to MassTransit's
/// exchange for the type, acknowledged after each delivery is noted. For each delivery it keeps the envelope's message
/// id and the event's business key, which tell a re-delivery (same message id: the consumers' inboxes absorb it) from a
/// duplicated effect (a second message id for the same business key: no inbox can absorb that).
/// </summary>
public sealed class EventTap : IAsyncDisposable
{
    /// <summary>The events followed: name, MassTransit's exchange for the type, and how the business key is read from the message.</summary>
    public static readonly IReadOnlyList<FollowedEvent> Events =
    [
        new("PaymentRecorded", "LoanRecovery.Contracts:PaymentRecorded", m => m.GetProperty("paymentId").GetString()!),
        new("RiskScored", "LoanRecovery.Contracts:RiskScored", m => m.GetProperty("loanId").GetString() + "/" + m.GetProperty("paymentId").GetString()),
        new("StrategyAssigned", "LoanRecovery.Contracts:StrategyAssigned", m => m.GetProperty("assignmentId").GetString()!),
        new("RecoveryOutcomeRecorded", "LoanRecovery.Contracts:RecoveryOutcomeRecorded", m => m.GetProperty("outcomeId").GetString()!),
        // What MassTransit publishes when it gives up on a core banking payment: the fault, carrying the payment.
        new("PaymentFault", "MassTransit:Fault--LoanRecovery.Contracts:CoreBankingPayment--", m => m.GetProperty("message").GetProperty("paymentId").GetString()!),
    ];

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<HeardEvent> _heard = new();

    private EventTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyList<HeardEvent> Heard => _heard.ToArray();

    public static async Task<EventTap> StartAsync(string virtualHost)
    {
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = TestEnvironment.RabbitPort,
            VirtualHost = virtualHost,
            UserName = TestEnvironment.RabbitUser,
            Password = TestEnvironment.RabbitPassword,
            // Reconnects after a broker restart and consumes its durable queues again.
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        };
        var connection = await factory.CreateConnectionAsync("fault-test-event-tap");
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 500, false);
        var tap = new EventTap(connection, channel);
        foreach (var followed in Events)
        {
            var queue = "fault-test-tap-" + followed.Name;
            await channel.ExchangeDeclareAsync(followed.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, followed.Exchange, "");
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => tap.OnReceivedAsync(followed, delivery);
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        }
        return tap;
    }

    private async Task OnReceivedAsync(FollowedEvent followed, BasicDeliverEventArgs delivery)
    {
        using (var envelope = JsonDocument.Parse(delivery.Body))
        {
            var root = envelope.RootElement;
            _heard.Enqueue(new HeardEvent(followed.Name, root.GetProperty("messageId").GetString()!, followed.KeyOf(root.GetProperty("message"))));
        }
        await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>An event type the tap follows.</summary>
public sealed record FollowedEvent(string Name, string Exchange, Func<JsonElement, string> KeyOf);

/// <summary>One delivery the tap heard: the event type, the envelope's message id and the event's business key.</summary>
public sealed record HeardEvent(string Event, string MessageId, string Key);
