using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>
/// Runs one business change and the events it causes in a single transaction, optionally guarded by the
/// inbox so that a message delivered more than once has one effect.
/// </summary>
public sealed class UnitOfWork<TDbContext>(TDbContext db, OutboxSignal signal, TimeProvider clock)
    where TDbContext : ServiceDbContext
{
    public TDbContext Db => db;

    /// <summary>Queues an event to be published once the current transaction commits.</summary>
    public void Publish<T>(T message) where T : class =>
        db.OutboxMessages.Add(OutboxMessage.Create(message, clock.GetUtcNow()));

    /// <summary>Runs <paramref name="work"/> in a transaction and commits its writes and queued events together.</summary>
    public async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return result;
    }

    /// <summary>
    /// Processes a message once per consumer. Returns false, changing nothing, when the inbox already holds
    /// (message id, consumer): a redelivery or a concurrent duplicate. A concurrent duplicate waits on the
    /// inbox row's unique key until the first delivery commits or rolls back, so exactly one of them works.
    /// A message without an id (a plain AMQP publish may carry none) relies on the work's own business keys.
    /// </summary>
    public async Task<bool> RunOnceAsync(Guid? messageId, string consumerId, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (messageId is null)
        {
            await RunAsync(async ct => { await work(ct); return true; }, cancellationToken);
            return true;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_state (message_id, consumer_id, received_at) VALUES ({messageId.Value}, {consumerId}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await work(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return true;
    }
}
