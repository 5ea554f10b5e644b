using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LoanRecovery.Testing;

/// <summary>
/// A bare AMQP client, as a core banking system or an operator would use one: publishes plain JSON, listens to
/// the events the services publish (MassTransit's fanout exchange per message type), and reads error queues.
/// </summary>
public sealed class RabbitProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RabbitProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RabbitProbe> ConnectAsync(string virtualHost)
    {
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = TestEnvironment.RabbitPort,
            VirtualHost = virtualHost,
            UserName = TestEnvironment.RabbitUser,
            Password = TestEnvironment.RabbitPassword,
        };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RabbitProbe(connection, channel);
    }

    /// <summary>Publishes a plain JSON body, persistent, to a durable topic exchange.</summary>
    public async Task PublishRawAsync(string exchange, string routingKey, string body, string? messageId = null)
    {
        await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = messageId };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Puts a body straight into a queue (the default exchange), persistent, with the given content type.</summary>
    public async Task SendToQueueAsync(string queue, string body, string contentType)
    {
        var properties = new BasicProperties { Persistent = true, ContentType = contentType, MessageId = Guid.NewGuid().ToString() };
        await _channel.BasicPublishAsync("", queue, mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Starts collecting every message published as <paramref name="messageType"/> (full type name).</summary>
    public async Task<EventListener> ListenAsync(string messageType)
    {
        // MassTransit's exchange for a message type is "Namespace:TypeName".
        var split = messageType.LastIndexOf('.');
        return await ListenToExchangeAsync(messageType[..split] + ":" + messageType[(split + 1)..]);
    }

    /// <summary>Starts collecting every message published to a MassTransit fanout exchange, by its name (e.g. a fault's exchange).</summary>
    public async Task<EventListener> ListenToExchangeAsync(string exchange)
    {
        await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await _channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await _channel.QueueBindAsync(queue, exchange, "");
        var listener = new EventListener();
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            listener.Add(Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return listener;
    }

    /// <summary>Takes one message from a queue; null when it is empty or not declared yet.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue)
    {
        // A channel of its own: asking for a queue that does not exist yet closes the channel that asked.
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>The MassTransit envelopes a probe received, in arrival order.</summary>
public sealed class EventListener
{
    private readonly ConcurrentQueue<JsonElement> _envelopes = new();
    private readonly SemaphoreSlim _arrived = new(0);

    internal void Add(string json)
    {
        _envelopes.Enqueue(JsonDocument.Parse(json).RootElement.Clone());
        _arrived.Release();
    }

    public IReadOnlyList<JsonElement> Envelopes => _envelopes.ToArray();

    /// <summary>The <c>message</c> part of each envelope.</summary>
    public IReadOnlyList<JsonElement> Messages => Envelopes.Select(e => e.GetProperty("message")).ToArray();

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (_envelopes.Count < count)
                await _arrived.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Expected {count} message(s) within {timeout.TotalSeconds} s, got {_envelopes.Count}.");
        }
        return Messages;
    }

    /// <summary>Lets stragglers arrive (a duplicate would come soon after the first), then returns what arrived.</summary>
    public async Task<IReadOnlyList<JsonElement>> SettleAsync(TimeSpan quiet)
    {
        await Task.Delay(quiet);
        return Messages;
    }
}
