using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Assignment;
using LoanRecovery.StrategyAssignment.Persistence;
using MassTransit;

namespace LoanRecovery.StrategyAssignment.Consumers;

public sealed partial class RiskScoredConsumer(UnitOfWork<StrategyDbContext> unitOfWork, StrategyAssigner assigner, ILogger<RiskScoredConsumer> logger)
    : IConsumer<RiskScored>
{
    public async Task Consume(ConsumeContext<RiskScored> context)
    {
        var result = new ScoreResult(ScoreEffect.AlreadyReceived, null);
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(RiskScoredConsumer),
            async ct => result = await assigner.OnScoreAsync(context.Message, ct), context.CancellationToken);
        LogOutcome(context.Message.LoanId, context.Message.ScoreId, result.Effect, result.Assignment?.Strategy, result.Assignment?.PolicyVersion);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Score {ScoreId} of loan {LoanId}: {Effect} (strategy {Strategy}, policy {PolicyVersion})")]
    private partial void LogOutcome(string loanId, Guid scoreId, ScoreEffect effect, RecoveryStrategy? strategy, string? policyVersion);
}
