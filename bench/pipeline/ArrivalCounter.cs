namespace LoanRecovery.Bench.Pipeline;

/// <summary>Counts consumed messages and completes when the expected number has arrived.</summary>
internal sealed class ArrivalCounter
{
    private int _remaining;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Expect(int messages)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, messages);
        return _done.Task;
    }

    public void Arrived()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
            _done.TrySetResult();
    }
}
