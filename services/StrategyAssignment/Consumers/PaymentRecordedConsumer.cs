using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Consumers;

/// <summary>Keeps the payments made on each loan, to tell a kept promise to pay from a broken one.</summary>
public sealed class PaymentRecordedConsumer(UnitOfWork<StrategyDbContext> unitOfWork, TimeProvider clock) : IConsumer<PaymentRecorded>
{
    public async Task Consume(ConsumeContext<PaymentRecorded> context)
    {
        var payment = context.Message;
        if (string.IsNullOrWhiteSpace(payment.PaymentId) || string.IsNullOrWhiteSpace(payment.LoanId))
            throw new MessageValidationException("PaymentRecorded is not valid: PaymentId and LoanId are required");
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(PaymentRecordedConsumer), async ct =>
        {
            if (payment.AmountPaid <= 0 || await unitOfWork.Db.Payments.AnyAsync(p => p.PaymentId == payment.PaymentId, ct))
                return;
            unitOfWork.Db.Payments.Add(new PaymentRecord
            {
                PaymentId = payment.PaymentId, LoanId = payment.LoanId, AmountPaid = payment.AmountPaid,
                PaidOn = payment.PaidOn ?? payment.DueDate, RecordedAt = clock.GetUtcNow(),
            });
        }, context.CancellationToken);
    }
}
