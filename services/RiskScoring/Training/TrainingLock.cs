namespace LoanRecovery.RiskScoring.Training;

/// <summary>One training at a time in this process (cold start, scheduled and requested retraining).</summary>
public sealed class TrainingLock
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
