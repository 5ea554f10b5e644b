using LoanRecovery.Contracts;

namespace LoanRecovery.StrategyAssignment.Domain;

/// <summary>Kinds of work in the collection queue.</summary>
public enum TaskKind
{
    /// <summary>Phone call to the borrower (contact).</summary>
    Call,
    /// <summary>Letter to the borrower, e.g. a legal notice (contact).</summary>
    Letter,
    /// <summary>Settlement offer with a repayment plan (contact).</summary>
    SettlementOffer,
    /// <summary>Referral to the intensive recovery / legal team (internal).</summary>
    LegalReferral,
    /// <summary>Automated payment reminder (contact).</summary>
    Reminder,
    /// <summary>Account review without contacting the borrower (internal).</summary>
    AccountReview,
}

public enum CollectionTaskStatus { Open, Claimed, Completed, Cancelled }

/// <summary>What an officer recorded at the end of a task.</summary>
public enum TaskOutcome { PromiseToPay, Paid, Refused, Unreachable, Dispute, SettlementAccepted }

/// <summary>The tasks and actions each strategy calls for.</summary>
public static class TaskPlanner
{
    public static IReadOnlyList<PlannedTask> Plan(RecoveryStrategy strategy, RepaymentPlan? plan, IReadOnlyDictionary<TaskKind, TimeSpan> dueIn) => strategy switch
    {
        RecoveryStrategy.LegalAction =>
        [
            new(TaskKind.LegalReferral, "Refer the loan to the intensive recovery team for legal action", dueIn[TaskKind.LegalReferral]),
            new(TaskKind.Letter, "Send the legal notice", dueIn[TaskKind.Letter]),
        ],
        RecoveryStrategy.Settlement =>
        [
            new(TaskKind.SettlementOffer, plan?.Summary ?? "Make a settlement offer", dueIn[TaskKind.SettlementOffer]),
            new(TaskKind.Call, "Call the borrower to agree the settlement and repayment plan", dueIn[TaskKind.Call]),
        ],
        _ => [new(TaskKind.Reminder, "Send an automated payment reminder and monitor the account", dueIn[TaskKind.Reminder])],
    };

    public static IReadOnlyList<string> Actions(RecoveryStrategy strategy, RepaymentPlan? plan) => strategy switch
    {
        RecoveryStrategy.LegalAction => ["legal notice", "intensive recovery team"],
        RecoveryStrategy.Settlement => plan is null ? ["settlement offer"] : [plan.Summary, "repayment plan"],
        _ => ["automated reminders", "account monitoring"],
    };
}

public enum PromiseState { Pending, Kept, Broken }

/// <summary>Whether a promise to pay was kept: the promised amount paid from the promise until the promised date plus grace.</summary>
public static class PromiseCheck
{
    public static PromiseState Evaluate(DateOnly madeOn, DateOnly promisedDate, decimal promisedAmount, IEnumerable<(DateOnly PaidOn, decimal Amount)> payments,
        DateOnly today, TimeSpan grace)
    {
        var deadline = promisedDate.AddDays((int)Math.Ceiling(grace.TotalDays));
        var paid = payments.Where(p => p.PaidOn >= madeOn && p.PaidOn <= deadline).Sum(p => p.Amount);
        if (paid >= promisedAmount)
            return PromiseState.Kept;
        return today > deadline ? PromiseState.Broken : PromiseState.Pending;
    }
}
