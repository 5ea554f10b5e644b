using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.RiskScoring.Scoring;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.RiskScoring.Consumers;

public sealed partial class PaymentRecordedConsumer(UnitOfWork<RiskDbContext> unitOfWork, PaymentScoring scoring, ILogger<PaymentRecordedConsumer> logger)
    : IConsumer<PaymentRecorded>
{
    public async Task Consume(ConsumeContext<PaymentRecorded> context)
    {
        var outcome = ScoringOutcome.AlreadyScored;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(PaymentRecordedConsumer),
            async ct => outcome = await scoring.OnPaymentAsync(context.Message, ct), context.CancellationToken);
        LogOutcome(context.Message.LoanId, context.Message.PaymentId, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} of loan {LoanId}: {Outcome}")]
    private partial void LogOutcome(string loanId, string paymentId, ScoringOutcome outcome);
}
