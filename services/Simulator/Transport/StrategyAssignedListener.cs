using System.Diagnostics;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Domain;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LoanRecovery.Simulator.Transport;

/// <summary>
/// The collection floor's ear: its own durable queue bound to MassTransit's fanout exchange for
/// <see cref="StrategyAssigned"/>; reads <c>message</c> from the envelope and records each loan's strategy.
/// </summary>
public sealed class StrategyAssignedListener : IAsyncDisposable
{
    public const string ExchangeName = "LoanRecovery.Contracts:StrategyAssigned";
    public const string QueueName = "loanrecovery-simulator-strategy-assigned";
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private long _lastTicks = DateTime.UtcNow.Ticks;

    private StrategyAssignedListener(IConnection connection, IChannel channel, AssignedStrategyBook book, PaymentToStrategyLatency? latency)
    {
        _connection = connection;
        _channel = channel;
        Book = book;
        Latency = latency;
    }

    public AssignedStrategyBook Book { get; }
    public PaymentToStrategyLatency? Latency { get; }
    public int Malformed { get; private set; }
    public DateTime LastReceivedUtc => new(Interlocked.Read(ref _lastTicks), DateTimeKind.Utc);

    public static async Task<StrategyAssignedListener> StartAsync(RabbitSettings settings, AssignedStrategyBook book, CancellationToken cancellationToken,
        PaymentToStrategyLatency? latency = null)
    {
        var connection = await settings.Factory().CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(ExchangeName, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(QueueName, ExchangeName, "", cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, 200, false, cancellationToken);
        var listener = new StrategyAssignedListener(connection, channel, book, latency);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += listener.OnReceivedAsync;
        await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, cancellationToken);
        return listener;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var heard = Stopwatch.GetTimestamp();
        if (Parse(delivery.Body.Span) is { } assigned)
        {
            Book.Record(assigned.LoanId, assigned.Strategy, assigned.AssignedAt);
            Latency?.StrategyHeard(assigned.LoanId, heard);
        }
        else
            Malformed++;
        Interlocked.Exchange(ref _lastTicks, DateTime.UtcNow.Ticks);
        await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    /// <summary>Reads loan, strategy and time from a MassTransit envelope; null when the body is not one.</summary>
    public static (string LoanId, RecoveryStrategy Strategy, DateTimeOffset AssignedAt)? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (!document.RootElement.TryGetProperty("message", out var message)
                || !message.TryGetProperty("loanId", out var loanId) || loanId.GetString() is not { } id
                || !message.TryGetProperty("strategy", out var strategy))
                return null;
            RecoveryStrategy value;
            if (strategy.ValueKind == JsonValueKind.Number)
                value = (RecoveryStrategy)strategy.GetInt32();
            else if (!Enum.TryParse(strategy.GetString(), ignoreCase: true, out value))
                return null;
            var at = message.TryGetProperty("assignedAt", out var a) && a.TryGetDateTimeOffset(out var parsed) ? parsed : DateTimeOffset.UtcNow;
            return (id, value, at);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
