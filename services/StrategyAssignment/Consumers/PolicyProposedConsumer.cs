using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Assignment;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Consumers;

/// <summary>
/// The strategy refinement loop's proposals: a refined table becomes a new policy version and the challenger; a promotion
/// makes the running challenger the champion. A promotion of a version that is no longer the challenger is stale and
/// changes nothing.
/// </summary>
public sealed partial class PolicyProposedConsumer(UnitOfWork<StrategyDbContext> unitOfWork, PolicyStore policies,
    ILogger<PolicyProposedConsumer> logger) : IConsumer<PolicyProposed>
{
    private const string Actor = "performance-tracking";

    public async Task Consume(ConsumeContext<PolicyProposed> context)
    {
        var proposal = context.Message;
        await unitOfWork.RunOnceAsync(context.MessageId, nameof(PolicyProposedConsumer), async ct =>
        {
            var current = await policies.CurrentAsync(ct);
            if (proposal.Role == ProposedRole.Challenger)
            {
                var source = PolicyProposals.SourceOf(proposal.ProposalId);
                if (await unitOfWork.Db.Policies.AnyAsync(p => p.Source == source, ct))
                    return;
                var document = PolicyProposals.ChallengerFrom(current.Champion.Document, proposal.Cells);
                if (document.Validate() is { Count: > 0 } errors)
                    throw new MessageValidationException("PolicyProposed cannot become a policy: " +
                        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
                var added = await policies.AddAsync(document, proposal.Reason, source, Actor, ct);
                await policies.SetRoleAsync(PolicyRoleRecord.Challenger, added.Version, Actor, ct);
                LogChallenger(added.Version, proposal.ProposalId);
                return;
            }

            if (current.Challenger?.Version != proposal.PolicyVersion)
            {
                LogStale(proposal.PolicyVersion, current.Challenger?.Version, proposal.ProposalId);
                return;
            }
            await policies.SetRoleAsync(PolicyRoleRecord.Champion, proposal.PolicyVersion, Actor, ct);
            await policies.SetRoleAsync(PolicyRoleRecord.Challenger, null, Actor, ct);
            LogPromoted(proposal.PolicyVersion!, current.Champion.Version, proposal.ProposalId);
        }, context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refined policy {PolicyVersion} from proposal {ProposalId} is the challenger")]
    private partial void LogChallenger(string policyVersion, Guid proposalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy {PolicyVersion} promoted to champion (was {PreviousVersion}) by proposal {ProposalId}")]
    private partial void LogPromoted(string policyVersion, string previousVersion, Guid proposalId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stale promotion {ProposalId}: it names {PolicyVersion} but the challenger is {ChallengerVersion}; nothing changed")]
    private partial void LogStale(string? policyVersion, string? challengerVersion, Guid proposalId);
}
