using LoanRecovery.Contracts;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.Segmentation.Consumers;

/// <summary>Keeps recovery outcomes (historical and observed) to report each segment's share not fully recovered.</summary>
public sealed partial class RecoveryOutcomeRecordedConsumer(
    UnitOfWork<SegmentationDbContext> unitOfWork,
    SegmentationEngine engine,
    ILogger<RecoveryOutcomeRecordedConsumer> logger) : IConsumer<RecoveryOutcomeRecorded>
{
    public async Task Consume(ConsumeContext<RecoveryOutcomeRecorded> context)
    {
        var outcome = context.Message;
        var errors = MessageChecks.RecoveryOutcomeRecorded(outcome);
        if (errors is not null)
        {
            LogRejected(context.MessageId, errors);
            throw new MessageValidationException($"Invalid RecoveryOutcomeRecorded: {errors}");
        }
        var recorded = false;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(RecoveryOutcomeRecordedConsumer),
            async ct => recorded = await engine.RecordOutcomeAsync(outcome, ct), context.CancellationToken);
        LogRecorded(outcome.OutcomeId, outcome.LoanId, outcome.Status, recorded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected RecoveryOutcomeRecorded message {MessageId}: {Reason}")]
    private partial void LogRejected(Guid? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outcome {OutcomeId} of loan {LoanId} ({Status}) recorded: {Recorded}")]
    private partial void LogRecorded(Guid outcomeId, string loanId, RecoveryStatus status, bool recorded);
}
