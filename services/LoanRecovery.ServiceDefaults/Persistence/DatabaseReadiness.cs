namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>Set once the service's migrations are applied; readiness and the relay wait for it.</summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    public void MarkMigrated() => _migrated.TrySetResult();

    public Task WaitUntilMigratedAsync(CancellationToken cancellationToken) => _migrated.Task.WaitAsync(cancellationToken);
}
