using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.PerformanceTracking.Consumers;

/// <summary>Opens a recovery episode for the loan (or records the assignment against its open episode).</summary>
public sealed class StrategyAssignedConsumer(UnitOfWork<PerformanceDbContext> unitOfWork, EpisodeTracker tracker) : IConsumer<StrategyAssigned>
{
    public Task Consume(ConsumeContext<StrategyAssigned> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(StrategyAssignedConsumer), ct => tracker.OnAssignedAsync(context.Message, ct), context.CancellationToken);
}
