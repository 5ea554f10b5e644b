using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Ledger;
using LoanRecovery.Ingestion.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Ingestion.Consumers;

/// <summary>
/// Records plain JSON core banking payments from one partition queue (see <see cref="PaymentPartitions"/>), one at a time. A payment
/// for a loan not seen yet is retried (the loan may still be on its way on the other queue), then parked in the
/// partition's <c>_error</c> queue, as is a payment that fails validation or is not JSON.
/// </summary>
public sealed partial class CoreBankingPaymentConsumer(
    UnitOfWork<IngestionDbContext> unitOfWork,
    LoanLedger ledger,
    IOptions<IngestionOptions> options,
    ILogger<CoreBankingPaymentConsumer> logger) : IConsumer<CoreBankingPayment>
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
        var result = RecordResult.AlreadyRecorded;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(CoreBankingPaymentConsumer),
            async ct => result = await ledger.RecordPaymentAsync(payment, LoanSource.Amqp, ct), context.CancellationToken);
        LogRecorded(payment.PaymentId, payment.LoanId, result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected core banking payment message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Core banking payment {PaymentId} for loan {LoanId}: {Result}")]
    private partial void LogRecorded(string paymentId, string loanId, RecordResult result);
}
