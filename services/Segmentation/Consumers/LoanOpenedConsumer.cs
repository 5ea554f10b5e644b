using LoanRecovery.Contracts;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.Segmentation.Consumers;

/// <summary>Keeps the new loan's figures and, once a model exists, places its borrower in the nearest segment.</summary>
public sealed partial class LoanOpenedConsumer(
    UnitOfWork<SegmentationDbContext> unitOfWork,
    SegmentationEngine engine,
    ILogger<LoanOpenedConsumer> logger) : IConsumer<LoanOpened>
{
    public async Task Consume(ConsumeContext<LoanOpened> context)
    {
        var loan = context.Message;
        var errors = MessageChecks.LoanOpened(loan);
        if (errors is not null)
        {
            LogRejected(context.MessageId, errors);
            throw new MessageValidationException($"Invalid LoanOpened: {errors}");
        }
        var recorded = false;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(LoanOpenedConsumer),
            async ct => recorded = await engine.RecordLoanAsync(loan, ct), context.CancellationToken);
        LogRecorded(loan.LoanId, loan.BorrowerId, recorded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected LoanOpened message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loan {LoanId} of borrower {BorrowerId} recorded: {Recorded}")]
    private partial void LogRecorded(string loanId, string borrowerId, bool recorded);
}
