using LoanRecovery.Simulator.Transport;
using System.Text.Json;
using LoanRecovery.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LoanRecovery.FaultTests;

/// <summary>
/// Core banking as a careful sender: plain JSON, persistent, to the topic exchange <c>core-banking</c>, with publisher
/// confirms. A batch the broker did not confirm (the broker went away mid-batch) is sent again on a new connection
/// once the broker is back: at least once, as a real sender does, so a payment may arrive twice with the same message id.
/// </summary>
public sealed class CoreBankingSender(string virtualHost) : IAsyncDisposable
{
    public const string Exchange = "core-banking";
    private const int BatchSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(120);

    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Batches that had to be sent again because the broker did not confirm them.</summary>
    public int BatchesResent { get; private set; }

    public async Task SendAsync(string routingKey, IEnumerable<CoreBankingMessage> messages)
    {
        foreach (var batch in messages.Chunk(BatchSize))
            await SendBatchAsync(routingKey, batch);
    }

    /// <summary>Sends one message, for a test that times each delivery itself.</summary>
    public Task SendOneAsync(string routingKey, CoreBankingMessage message) => SendBatchAsync(routingKey, [message]);

    private async Task SendBatchAsync(string routingKey, IReadOnlyList<CoreBankingMessage> batch)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                var channel = await ChannelAsync();
                await Task.WhenAll(batch.Select(m => channel.BasicPublishAsync(Exchange, CoreBankingPublisher.RoutingKeyOf(routingKey, m.Body), mandatory: false,
                    new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = m.MessageId },
                    JsonSerializer.SerializeToUtf8Bytes(m.Body, m.Body.GetType(), Json)).AsTask()));
                return;
            }
            catch (Exception ex) when (ex is AlreadyClosedException or BrokerUnreachableException or OperationInterruptedException
                                           or PublishException or IOException or System.Net.Sockets.SocketException
                                       && DateTime.UtcNow < deadline)
            {
                // Unconfirmed: drop the connection and send the whole batch again once the broker answers.
                BatchesResent++;
                await DropConnectionAsync();
                await Task.Delay(500);
            }
        }
    }

    private async Task<IChannel> ChannelAsync()
    {
        if (_channel is { IsOpen: true })
            return _channel;
        await DropConnectionAsync();
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = TestEnvironment.RabbitPort,
            VirtualHost = virtualHost,
            UserName = TestEnvironment.RabbitUser,
            Password = TestEnvironment.RabbitPassword,
            // This sender reconnects itself (and re-sends), so the client's own recovery would only race it.
            AutomaticRecoveryEnabled = false,
        };
        _connection = await factory.CreateConnectionAsync("core-banking-sender");
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await _channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        return _channel;
    }

    private async Task DropConnectionAsync()
    {
        // The connection is already broken when this runs after a failure: disposing it is all that is left to do.
        if (_channel is not null)
            await _channel.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _channel = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await DropConnectionAsync();
}
