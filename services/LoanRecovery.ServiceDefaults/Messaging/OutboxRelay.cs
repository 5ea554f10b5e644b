using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LoanRecovery.ServiceDefaults.Persistence;
using Npgsql;

namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows in order of production. Rows are locked with <c>FOR UPDATE SKIP LOCKED</c>
/// so several instances never publish the same row at once; a row is marked sent only after the broker
/// confirmed it, so a crash in between re-publishes it with the same message id, which the consumer's inbox
/// absorbs.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    DatabaseReadiness readiness,
    TimeProvider clock,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("LoanRecovery.Outbox");

    private readonly ConcurrentDictionary<string, Type> _types = new();
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    /// <summary>
    /// Test seam, never set outside tests: awaited after the broker confirmed a batch and before its rows are marked
    /// sent, with the batch's message ids. That is the one moment where a crash leaves published rows marked unsent;
    /// the fault tests block here to kill the relay exactly then, which no outside signal could time.
    /// </summary>
    internal Func<IReadOnlyList<Guid>, CancellationToken, Task>? AfterConfirmBeforeMark { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
            return;
        await readiness.WaitUntilMigratedAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                await CleanupIfDueAsync(stoppingToken);
                failures = 0;
                if (published < options.Value.RelayBatchSize)
                    await signal.WaitAsync(options.Value.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database or the broker is away: keep the rows and try again, backing off up to 10 s.
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures, 6))));
                LogRelayFailed(ex, failures, delay.TotalMilliseconds);
                await Task.Delay(delay, clock, stoppingToken);
            }
        }
    }

    /// <summary>Publishes up to one batch of unsent rows; returns how many were published.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var rows = new List<(long Sequence, Guid MessageId, string Type, string Body, string? TraceParent)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT sequence_number, message_id, message_type, body::text, trace_parent
            FROM outbox_message
            WHERE sent_at IS NULL AND failed_at IS NULL
            ORDER BY sequence_number
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("limit", options.Value.RelayBatchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        // A row that cannot become a message is set aside with the reason; the others are published.
        var messages = new List<(long Sequence, Guid MessageId, object Message, Type Type, string? TraceParent)>(rows.Count);
        var unreadable = new List<(long Sequence, string Failure)>();
        foreach (var row in rows)
        {
            try
            {
                var (message, type) = Read(row.MessageId, row.Type, row.Body);
                messages.Add((row.Sequence, row.MessageId, message, type, row.TraceParent));
            }
            catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or JsonException or InvalidOperationException or NotSupportedException)
            {
                LogUnpublishable(ex, row.Sequence, row.MessageId, row.Type);
                unreadable.Add((row.Sequence, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }

        // Publishes are started in sequence order on one bus and awaited together: the broker receives them in
        // that order while confirms are pipelined instead of paid for one by one.
        var publishes = new Task[messages.Count];
        for (var i = 0; i < messages.Count; i++)
            publishes[i] = PublishAsync(messages[i].MessageId, messages[i].Message, messages[i].Type, messages[i].TraceParent, cancellationToken);
        await Task.WhenAll(publishes);
        if (AfterConfirmBeforeMark is { } afterConfirm)
            await afterConfirm(messages.Select(m => m.MessageId).ToArray(), cancellationToken);

        foreach (var (sequence, failure) in unreadable)
        {
            await using var fail = new NpgsqlCommand(
                "UPDATE outbox_message SET failed_at = @now, failure = @failure WHERE sequence_number = @id", connection, transaction);
            fail.Parameters.AddWithValue("now", clock.GetUtcNow());
            fail.Parameters.AddWithValue("failure", failure);
            fail.Parameters.AddWithValue("id", sequence);
            await fail.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var mark = new NpgsqlCommand(
            "UPDATE outbox_message SET sent_at = @now WHERE sequence_number = ANY(@ids)", connection, transaction))
        {
            mark.Parameters.AddWithValue("now", clock.GetUtcNow());
            mark.Parameters.AddWithValue("ids", messages.Select(r => r.Sequence).ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        LogPublished(rows.Count);
        return rows.Count;
    }

    private (object Message, Type Type) Read(Guid messageId, string typeName, string body)
    {
        var type = _types.GetOrAdd(typeName, static name => Type.GetType(name, throwOnError: true)!);
        var message = JsonSerializer.Deserialize(body, type, OutboxMessage.JsonOptions)
            ?? throw new InvalidOperationException($"Outbox message {messageId} has an empty body.");
        return (message, type);
    }

    private async Task PublishAsync(Guid messageId, object message, Type type, string? traceParent, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity("outbox publish " + type.Name, ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", messageId.ToString());
        await bus.Publish(message, type, context => context.MessageId = messageId, cancellationToken);
    }

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup)
            return;
        _nextCleanup = now + options.Value.CleanupInterval;
        var cutoff = now - options.Value.DuplicateDetectionWindow;
        await using var command = dataSource.CreateCommand(
            "DELETE FROM outbox_message WHERE sent_at < @cutoff; DELETE FROM inbox_state WHERE received_at < @cutoff;");
        command.Parameters.AddWithValue("cutoff", cutoff);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox relay published {Count} messages")]
    private partial void LogPublished(int count);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Outbox row {SequenceNumber} (message {MessageId}, type {MessageType}) can never be published; set aside with the reason")]
    private partial void LogUnpublishable(Exception exception, long sequenceNumber, Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed {Failures} time(s) in a row; retrying in {DelayMs} ms")]
    private partial void LogRelayFailed(Exception exception, int failures, double delayMs);
}
