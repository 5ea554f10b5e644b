using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.PerformanceTracking.Consumers;

/// <summary>Records the score: band, segment and features of the episode it leads to, and drift's input.</summary>
public sealed class RiskScoredConsumer(UnitOfWork<PerformanceDbContext> unitOfWork, EpisodeTracker tracker) : IConsumer<RiskScored>
{
    public Task Consume(ConsumeContext<RiskScored> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(RiskScoredConsumer), ct => tracker.OnScoredAsync(context.Message, ct), context.CancellationToken);
}
