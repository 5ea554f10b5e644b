using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Consumers;

/// <summary>Remembers each borrower's current segment, carried on the scores.</summary>
public sealed class BorrowerSegmentedConsumer(UnitOfWork<RiskDbContext> unitOfWork, TimeProvider clock) : IConsumer<BorrowerSegmented>
{
    public Task Consume(ConsumeContext<BorrowerSegmented> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(BorrowerSegmentedConsumer), async ct =>
        {
            var m = context.Message;
            var segment = await unitOfWork.Db.Segments.SingleOrDefaultAsync(s => s.BorrowerId == m.BorrowerId, ct);
            if (segment is null)
                unitOfWork.Db.Segments.Add(segment = new BorrowerSegment { BorrowerId = m.BorrowerId });
            segment.SegmentId = m.SegmentId;
            segment.SegmentLabel = m.SegmentLabel;
            segment.ModelVersion = m.SegmentModelVersion;
            segment.UpdatedAt = clock.GetUtcNow();
        }, context.CancellationToken);
}
