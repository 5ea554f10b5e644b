using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Assignment;

/// <summary>A request that cannot be carried out, with the HTTP status and problem title that say why.</summary>
public sealed class WorkQueueProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

public sealed record OutcomeRequest(string? Officer, TaskOutcome? Outcome, DateOnly? PromisedDate, decimal? Amount, string? Note);

public sealed record OverrideRequest(RecoveryStrategy? Strategy, string? Reason, string? Officer);

public sealed record ComplianceRequest(string? TimeZone, bool CeaseContact, bool Dispute, bool Bankruptcy, string? UpdatedBy);

/// <summary>What officers do to the queue: claim, record outcomes, override strategies; and the borrower's compliance flags.</summary>
public sealed class WorkQueue(UnitOfWork<StrategyDbContext> unitOfWork, StrategyAssigner assigner, ComplianceGuard guard, TimeProvider clock)
{
    private StrategyDbContext Db => unitOfWork.Db;

    public static Dictionary<string, string[]> ValidateOfficer(string? officer)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(officer))
            errors["officer"] = ["The officer identifier is required"];
        else if (officer.Length > 100)
            errors["officer"] = ["The officer identifier is at most 100 characters"];
        return errors;
    }

    /// <summary>Claims an open task. Two officers claiming together: the row's version lets exactly one of them win.</summary>
    public Task<CollectionTaskRecord> ClaimAsync(Guid taskId, string officer, int? expectedVersion, CancellationToken cancellationToken) =>
        unitOfWork.RunAsync(async ct =>
        {
            var task = await Db.Tasks.SingleOrDefaultAsync(t => t.TaskId == taskId, ct)
                       ?? throw new WorkQueueProblem(404, "No such task", $"Task {taskId} does not exist.");
            if (expectedVersion is { } v && v != task.Version)
                throw Conflict(task);
            if (task.Status != CollectionTaskStatus.Open)
                throw Conflict(task);
            if (task.IsContact && (await assigner.FlagsAsync(task.BorrowerId, ct)).NoContactReason is { } why)
                throw new WorkQueueProblem(422, "Contact not allowed", $"This task contacts the borrower, and {why}.");
            task.Status = CollectionTaskStatus.Claimed;
            task.Assignee = officer;
            task.ClaimedAt = clock.GetUtcNow();
            task.Version++;
            try
            {
                await Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new WorkQueueProblem(409, "Task already taken", "Another officer claimed or changed this task first.");
            }
            return task;
        }, cancellationToken);

    private static WorkQueueProblem Conflict(CollectionTaskRecord task) => new(409, "Task already taken",
        task.Status == CollectionTaskStatus.Claimed ? $"The task is claimed by {task.Assignee}." : $"The task is {task.Status} (version {task.Version}).");

    public static Dictionary<string, string[]> Validate(OutcomeRequest request, DateOnly today)
    {
        var errors = ValidateOfficer(request.Officer);
        if (request.Outcome is null)
            errors["outcome"] = [$"The outcome is required: one of {string.Join(", ", Enum.GetNames<TaskOutcome>())}"];
        if (request.Amount is <= 0)
            errors["amount"] = ["The amount must be positive"];
        if (request.Outcome == TaskOutcome.PromiseToPay)
        {
            if (request.PromisedDate is null)
                errors["promisedDate"] = ["A promise to pay needs the promised date"];
            else if (request.PromisedDate < today)
                errors["promisedDate"] = ["The promised date cannot be in the past"];
            if (request.Amount is null)
                errors["amount"] = ["A promise to pay needs the promised amount"];
        }
        if (request.Note is { Length: > 2000 })
            errors["note"] = ["The note is at most 2000 characters"];
        return errors;
    }

    /// <summary>Completes a claimed task with its outcome and publishes <see cref="CollectionTaskCompleted"/> in the same transaction.</summary>
    public Task<CollectionTaskRecord> RecordOutcomeAsync(Guid taskId, OutcomeRequest request, CancellationToken cancellationToken) =>
        unitOfWork.RunAsync(async ct =>
        {
            var task = await Db.Tasks.SingleOrDefaultAsync(t => t.TaskId == taskId, ct)
                       ?? throw new WorkQueueProblem(404, "No such task", $"Task {taskId} does not exist.");
            if (task.Status != CollectionTaskStatus.Claimed || task.Assignee != request.Officer)
                throw new WorkQueueProblem(409, "Task not claimed by this officer",
                    task.Status == CollectionTaskStatus.Claimed ? $"The task is claimed by {task.Assignee}." : $"The task is {task.Status}; claim it first.");
            var now = clock.GetUtcNow();
            task.Status = CollectionTaskStatus.Completed;
            task.Outcome = request.Outcome;
            task.PromisedDate = request.Outcome == TaskOutcome.PromiseToPay ? request.PromisedDate : null;
            task.Amount = request.Amount;
            task.Note = request.Note;
            task.CompletedAt = now;
            task.PromiseState = request.Outcome == TaskOutcome.PromiseToPay ? PromiseState.Pending : null;
            task.Version++;
            if (request.Outcome == TaskOutcome.Dispute)
                await SetFlagsAsync(task.BorrowerId, null, current => current with { Dispute = true }, request.Officer!, now, ct);
            try
            {
                await Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new WorkQueueProblem(409, "Task changed", "The task was changed by someone else; reload it.");
            }
            unitOfWork.Publish(new CollectionTaskCompleted(task.TaskId, task.AssignmentId, task.LoanId, task.Kind.ToString(), request.Outcome!.Value.ToString(),
                request.Amount, request.Officer!, now));
            return task;
        }, cancellationToken);

    public static Dictionary<string, string[]> Validate(OverrideRequest request)
    {
        var errors = ValidateOfficer(request.Officer);
        if (request.Strategy is null)
            errors["strategy"] = [$"The strategy is required: one of {string.Join(", ", Enum.GetNames<RecoveryStrategy>())}"];
        if (string.IsNullOrWhiteSpace(request.Reason))
            errors["reason"] = ["An override needs a reason"];
        else if (request.Reason.Length > 2000)
            errors["reason"] = ["The reason is at most 2000 characters"];
        return errors;
    }

    /// <summary>Replaces a loan's active strategy on an officer's word, with the reason in the append-only audit table.</summary>
    public Task<AssignmentRecord> OverrideAsync(string loanId, OverrideRequest request, CancellationToken cancellationToken) =>
        unitOfWork.RunAsync(async ct =>
        {
            var active = await Db.Assignments.SingleOrDefaultAsync(a => a.LoanId == loanId && a.Active, ct)
                         ?? throw new WorkQueueProblem(404, "No active strategy", $"Loan {loanId} has no active strategy to override.");
            await assigner.LockBorrowerAsync(active.BorrowerId, ct);
            var facts = StrategyJson.Deserialize<ScoreFacts>(active.Facts);
            var flags = await assigner.FlagsAsync(active.BorrowerId, ct);
            var strategy = request.Strategy!.Value;
            if (guard.Blocks(strategy, facts, flags) is { } blocked)
                throw new WorkQueueProblem(422, "Blocked by compliance", blocked + ".");
            var now = clock.GetUtcNow();
            var reason = request.Reason!.Trim();
            var assignment = await assigner.AssignAsync(new StrategyAssigner.NewAssignment(loanId, active.BorrowerId, strategy, active.Band, false,
                    active.Arm, "override", AssignmentSource.Override, active.ScoreId, active.Probability, active.ModelVersion, facts, 0.5),
                [$"Officer {request.Officer} overrode {active.Strategy} with {strategy}: {reason}"], flags, active,
                $"Overridden by officer {request.Officer}", now, ct);
            assignment.Actor = request.Officer!;
            Db.Overrides.Add(new OverrideAuditRecord
            {
                LoanId = loanId, FromAssignmentId = active.AssignmentId, FromStrategy = active.Strategy, ToAssignmentId = assignment.AssignmentId,
                RequestedStrategy = strategy, AssignedStrategy = assignment.Strategy, Reason = reason, Officer = request.Officer!, At = now,
            });
            return assignment;
        }, cancellationToken);

    public static Dictionary<string, string[]> Validate(ComplianceRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
            errors["timeZone"] = [$"'{request.TimeZone}' is not a known IANA time zone (e.g. Europe/London)"];
        return errors;
    }

    /// <summary>Sets a borrower's compliance facts; any no-contact flag cancels the borrower's open contact tasks.</summary>
    public Task<(BorrowerComplianceRecord Record, int CancelledTasks)> SetComplianceAsync(string borrowerId, ComplianceRequest request, CancellationToken cancellationToken) =>
        unitOfWork.RunAsync(async ct =>
        {
            await assigner.LockBorrowerAsync(borrowerId, ct);
            var now = clock.GetUtcNow();
            return await SetFlagsAsync(borrowerId, request.TimeZone,
                _ => new Flags(request.CeaseContact, request.Dispute, request.Bankruptcy), request.UpdatedBy ?? "api", now, ct);
        }, cancellationToken);

    private sealed record Flags(bool CeaseContact, bool Dispute, bool Bankruptcy);

    private async Task<(BorrowerComplianceRecord Record, int CancelledTasks)> SetFlagsAsync(string borrowerId, string? timeZone, Func<Flags, Flags> change, string by, DateTimeOffset now,
        CancellationToken ct)
    {
        var record = await Db.Compliance.SingleOrDefaultAsync(c => c.BorrowerId == borrowerId, ct);
        if (record is null)
            Db.Compliance.Add(record = new BorrowerComplianceRecord { BorrowerId = borrowerId });
        var flags = change(new Flags(record.CeaseContact, record.Dispute, record.Bankruptcy));
        record.TimeZone = timeZone ?? record.TimeZone;
        record.CeaseContact = flags.CeaseContact;
        record.Dispute = flags.Dispute;
        record.Bankruptcy = flags.Bankruptcy;
        record.UpdatedBy = by;
        record.UpdatedAt = now;
        return (record, await CancelContactTasksAsync(borrowerId, record, ct));
    }

    private async Task<int> CancelContactTasksAsync(string borrowerId, BorrowerComplianceRecord record, CancellationToken ct)
    {
        var flags = new ComplianceFlags(TimeZoneInfo.Utc, record.CeaseContact, record.Dispute, record.Bankruptcy);
        if (flags.NoContactReason is not { } why)
            return 0;
        var open = await Db.Tasks.Where(t => t.BorrowerId == borrowerId && t.IsContact &&
                                             (t.Status == CollectionTaskStatus.Open || t.Status == CollectionTaskStatus.Claimed)).ToListAsync(ct);
        foreach (var task in open)
        {
            task.Status = CollectionTaskStatus.Cancelled;
            task.CancelledReason = $"Contact stopped: {why}";
            task.Version++;
        }
        return open.Count;
    }
}
