using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Ledger;
using LoanRecovery.Ingestion.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Ingestion.Consumers;

/// <summary>Plain JSON loans from core banking (exchange <c>core-banking</c>, routing key <c>loan</c>).</summary>
public sealed partial class CoreBankingLoanConsumer(
    UnitOfWork<IngestionDbContext> unitOfWork,
    LoanLedger ledger,
    IOptions<IngestionOptions> options,
    ILogger<CoreBankingLoanConsumer> logger) : IConsumer<CoreBankingLoan>
{
    public async Task Consume(ConsumeContext<CoreBankingLoan> context)
    {
        var errors = new FieldErrors();
        var loan = CoreBankingRules.Validate(context.Message, new TextLimits(options.Value.MaxFieldLength), errors);
        if (loan is null)
        {
            LogRejected(context.MessageId, errors.ToLogSafeString());
            throw new MessageValidationException($"Invalid core banking loan: {errors.ToLogSafeString()}");
        }
        var result = RecordResult.AlreadyRecorded;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(CoreBankingLoanConsumer),
            async ct => result = await ledger.OpenLoanAsync(loan, LoanSource.Amqp, ct), context.CancellationToken);
        LogRecorded(loan.LoanId, result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected core banking loan message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Core banking loan {LoanId}: {Result}")]
    private partial void LogRecorded(string loanId, RecordResult result);
}
