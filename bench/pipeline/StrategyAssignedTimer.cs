using System.Collections.Concurrent;
using System.Diagnostics;
using LoanRecovery.Simulator.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>
/// Hears <c>StrategyAssigned</c> on the broker, as the collection floor does (a queue of its own bound to MassTransit's
/// fanout exchange for the type), and notes when the first strategy of each loan arrived, on the same clock
/// (<see cref="Stopwatch.GetTimestamp"/>) as the payments' publishing.
/// </summary>
public sealed class StrategyAssignedTimer : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<string, long> _firstHeard = new(StringComparer.Ordinal);
    private int _heard;

    private StrategyAssignedTimer(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Every StrategyAssigned heard, repeats for a loan included.</summary>
    public int Heard => Volatile.Read(ref _heard);

    public static async Task<StrategyAssignedTimer> StartAsync(RabbitSettings rabbit, CancellationToken cancellationToken)
    {
        var connection = await rabbit.Factory().CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(StrategyAssignedListener.ExchangeName, ExchangeType.Fanout, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        await channel.QueueBindAsync(queue, StrategyAssignedListener.ExchangeName, "", cancellationToken: cancellationToken);
        var timer = new StrategyAssignedTimer(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref timer._heard);
            if (StrategyAssignedListener.Parse(delivery.Body.Span) is { } assigned)
                timer._firstHeard.TryAdd(assigned.LoanId, at);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
        return timer;
    }

    /// <summary>When the first strategy for the loan was heard (a <see cref="Stopwatch"/> timestamp), or null.</summary>
    public long? FirstHeard(string loanId) => _firstHeard.TryGetValue(loanId, out var at) ? at : null;

    /// <summary>Waits until every loan has been heard, or until nothing new has been heard for <paramref name="quiet"/>.</summary>
    public async Task<int> WaitForAsync(IReadOnlyCollection<string> loanIds, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var heard = 0;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = loanIds.Count(_firstHeard.ContainsKey);
            if (now == loanIds.Count)
                return now;
            if (now > heard)
            {
                heard = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > quiet)
                return heard;
            await Task.Delay(100, cancellationToken);
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
