using System.Text.Json;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.Testing;
using MassTransit;
using Npgsql;

namespace LoanRecovery.FaultTests;

/// <summary>
/// Delivers events the pipeline already published once more, with their original message ids, as a broker or relay that
/// repeats itself would: the rows are read from a service's outbox (type, body, message id) and published again on a bus
/// of the test's own.
/// </summary>
public sealed class DuplicatePublisher : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private DuplicatePublisher(IBusControl bus) => _bus = bus;

    public static async Task<DuplicatePublisher> StartAsync(ThrowawayVirtualHost virtualHost)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            cfg.Host("127.0.0.1", (ushort)TestEnvironment.RabbitPort, virtualHost.Name, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
                h.PublisherConfirmation = true;
            }));
        await bus.StartAsync();
        return new DuplicatePublisher(bus);
    }

    /// <summary>The sent outbox rows of <paramref name="schema"/> carrying <paramref name="eventType"/>, oldest first, up to <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<PublishedEvent>> ReadSentAsync(ThrowawayDatabase database, string schema, string eventType, int limit)
    {
        await using var connection = new NpgsqlConnection(database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT message_id, message_type, body::text FROM {schema}.outbox_message " +
            "WHERE sent_at IS NOT NULL AND message_type LIKE @type ORDER BY sequence_number LIMIT @limit", connection);
        command.Parameters.AddWithValue("type", $"LoanRecovery.Contracts.{eventType},%");
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<PublishedEvent>();
        while (await reader.ReadAsync())
        {
            var type = Type.GetType(reader.GetString(1), throwOnError: true)!;
            events.Add(new PublishedEvent(reader.GetGuid(0), type, JsonSerializer.Deserialize(reader.GetString(2), type, OutboxMessage.JsonOptions)!));
        }
        return events;
    }

    public Task PublishAgainAsync(PublishedEvent published) =>
        _bus.Publish(published.Message, published.Type, context => context.MessageId = published.MessageId);

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>An event as the relay published it: message id, contract type and message.</summary>
public sealed record PublishedEvent(Guid MessageId, Type Type, object Message);
