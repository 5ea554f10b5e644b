using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Ingestion.Consumers;

/// <summary>
/// First stop of a plain JSON payment from core banking (exchange <c>core-banking</c>, routing key <c>payment</c>):
/// consumed one at a time, in the order published, and sent on to its loan's partition queue, where
/// <see cref="CoreBankingPaymentConsumer"/> records it. A payment that fails validation is parked here with the reason,
/// so that every rejected payment is in one <c>_error</c> queue.
/// </summary>
public sealed partial class CoreBankingPaymentRouter(
    PaymentPartitions partitions,
    IOptions<IngestionOptions> options,
    ILogger<CoreBankingPaymentRouter> logger) : IConsumer<CoreBankingPayment>
{
    public async Task Consume(ConsumeContext<CoreBankingPayment> context)
    {
        var errors = new FieldErrors();
        var payment = CoreBankingRules.Validate(context.Message, new TextLimits(options.Value.MaxFieldLength), errors);
        if (payment is null)
        {
            LogRejected(context.MessageId, errors.ToLogSafeString());
            throw new MessageValidationException($"Invalid core banking payment: {errors.ToLogSafeString()}");
        }
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{partitions.QueueOf(payment.LoanId)}"));
        // Core banking's message id goes along, so a redelivery of this message after a crash between the send and the
        // acknowledgement is recognised by the partition's inbox (the payment id would catch it too).
        await endpoint.Send(context.Message, send =>
        {
            if (context.MessageId is { } messageId)
                send.MessageId = messageId;
        }, context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected core banking payment message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);
}
