using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.PerformanceTracking.Consumers;

/// <summary>Records the completed task with its configured contact cost.</summary>
public sealed class CollectionTaskCompletedConsumer(UnitOfWork<PerformanceDbContext> unitOfWork, EpisodeTracker tracker) : IConsumer<CollectionTaskCompleted>
{
    public Task Consume(ConsumeContext<CollectionTaskCompleted> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(CollectionTaskCompletedConsumer), ct => tracker.OnTaskCompletedAsync(context.Message, ct), context.CancellationToken);
}
