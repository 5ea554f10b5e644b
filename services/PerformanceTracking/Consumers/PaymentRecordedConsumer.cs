using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.PerformanceTracking.Consumers;

/// <summary>Records the payment and closes the loan's open episode when it clears the balance.</summary>
public sealed class PaymentRecordedConsumer(UnitOfWork<PerformanceDbContext> unitOfWork, EpisodeTracker tracker) : IConsumer<PaymentRecorded>
{
    public Task Consume(ConsumeContext<PaymentRecorded> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(PaymentRecordedConsumer), ct => tracker.OnPaymentAsync(context.Message, ct), context.CancellationToken);
}
