using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Consumers;

/// <summary>Every observed outcome becomes training data, labelled "not fully recovered".</summary>
public sealed class RecoveryOutcomeRecordedConsumer(UnitOfWork<RiskDbContext> unitOfWork, TimeProvider clock) : IConsumer<RecoveryOutcomeRecorded>
{
    public Task Consume(ConsumeContext<RecoveryOutcomeRecorded> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(RecoveryOutcomeRecordedConsumer), async ct =>
        {
            var m = context.Message;
            if (await unitOfWork.Db.TrainingExamples.AnyAsync(e => e.OutcomeId == m.OutcomeId, ct))
                return;
            unitOfWork.Db.TrainingExamples.Add(new TrainingExampleRow
            {
                OutcomeId = m.OutcomeId,
                LoanId = m.LoanId,
                Historical = m.Historical,
                Status = m.Status.ToString(),
                NotFullyRecovered = m.Status != RecoveryStatus.FullyRecovered,
                Features = m.Features.Count > 0 ? JsonSerializer.Serialize(m.Features) : null,
                RecordedAt = m.RecordedAt,
                ReceivedAt = clock.GetUtcNow(),
            });
        }, context.CancellationToken);
}
