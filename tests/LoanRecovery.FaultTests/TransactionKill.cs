using System.Data.Common;
using System.Text.Json;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace LoanRecovery.FaultTests;

/// <summary>When, relative to its commit, a consumer's process is killed.</summary>
public enum KillMoment
{
    /// <summary>Its writes are made and its transaction is about to commit: the database rolls it back when the session dies.</summary>
    BeforeCommit,
    /// <summary>Its transaction committed and the broker has not had the acknowledgement yet: the broker delivers the message again.</summary>
    AfterCommit,
}

/// <summary>
/// A test-only EF Core interceptor that stops, at the chosen moment, the first transaction of a service that queues an event
/// of <paramref name="eventType"/>: it reports that transaction (its database session and the event it queued) and then
/// holds it there, as a process frozen at that instruction, until the test has killed the process around it and calls
/// <see cref="Release"/>, which fails it (the dead process's leftovers must not carry on).
/// </summary>
public sealed class TransactionKill(KillMoment moment, string eventType) : DbTransactionInterceptor
{
    private readonly TaskCompletionSource<FrozenTransaction> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed = 1;
    private volatile bool _killed;

    /// <summary>Completes when a transaction has been stopped at the moment.</summary>
    public Task<FrozenTransaction> Reached => _reached.Task;

    /// <summary>
    /// Ends the frozen transaction with an error, and every later commit of the host it ran in: a killed process writes
    /// nothing more, whatever its leftovers (a retry of the frozen message, say) try while its host is torn down.
    /// </summary>
    public void Release()
    {
        _killed = true;
        _release.TrySetException(new ObjectDisposedException("process", "The process this transaction ran in was killed."));
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (_killed)
            throw new ObjectDisposedException("process", "The process this transaction ran in was killed.");
        if (moment == KillMoment.BeforeCommit)
            await FreezeIfChosenAsync(transaction, eventData.Context);
        return result;
    }

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (moment == KillMoment.AfterCommit)
            await FreezeIfChosenAsync(transaction, eventData.Context);
    }

    private async Task FreezeIfChosenAsync(DbTransaction transaction, DbContext? context)
    {
        var queued = context?.ChangeTracker.Entries<OutboxMessage>().Select(e => e.Entity)
            .FirstOrDefault(m => m.MessageType.StartsWith($"LoanRecovery.Contracts.{eventType},", StringComparison.Ordinal));
        if (queued is null || Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        var backend = transaction.Connection is NpgsqlConnection npgsql ? npgsql.ProcessID : 0;
        using var body = JsonDocument.Parse(queued.Body);
        _reached.TrySetResult(new FrozenTransaction(backend, queued.MessageId, body.RootElement.Clone()));
        await _release.Task;
    }
}

/// <summary>A transaction held at the kill moment: its PostgreSQL backend and the event it queued.</summary>
public sealed record FrozenTransaction(int BackendProcessId, Guid EventMessageId, JsonElement Event);
