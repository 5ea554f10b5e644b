using LoanRecovery.Contracts;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.Segmentation.Consumers;

/// <summary>
/// Applies a payment's delinquency figures to its loan and re-places the borrower; a payment for a loan not seen
/// yet is retried (its LoanOpened may still be on its way on the other queue), then parked.
/// </summary>
public sealed partial class PaymentRecordedConsumer(
    UnitOfWork<SegmentationDbContext> unitOfWork,
    SegmentationEngine engine,
    ILogger<PaymentRecordedConsumer> logger) : IConsumer<PaymentRecorded>
{
    public async Task Consume(ConsumeContext<PaymentRecorded> context)
    {
        var payment = context.Message;
        var errors = MessageChecks.PaymentRecorded(payment);
        if (errors is not null)
        {
            LogRejected(context.MessageId, errors);
            throw new MessageValidationException($"Invalid PaymentRecorded: {errors}");
        }
        var applied = false;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(PaymentRecordedConsumer),
            async ct => applied = await engine.ApplyPaymentAsync(payment, ct), context.CancellationToken);
        LogApplied(payment.PaymentId, payment.LoanId, applied);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected PaymentRecorded message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Payment {PaymentId} of loan {LoanId} applied: {Applied}")]
    private partial void LogApplied(string paymentId, string loanId, bool applied);
}
