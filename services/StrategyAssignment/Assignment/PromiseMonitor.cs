using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.ServiceDefaults.Persistence;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.StrategyAssignment.Assignment;

/// <summary>
/// Checks promises to pay: when the promised amount has not been paid by the promised date (plus grace), the promise is
/// broken and the loan is reopened with a new follow-up call under the compliance guard.
/// </summary>
public sealed partial class PromiseMonitor(IServiceScopeFactory scopes, IOptions<StrategyAssignmentOptions> options, DatabaseReadiness readiness,
    TimeProvider clock, ILogger<PromiseMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsMigrated)
                    await CheckOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
            try
            {
                await Task.Delay(options.Value.PromiseCheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<int> CheckOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StrategyDbContext>();
        var pending = await db.Tasks.AsNoTracking().Where(t => t.PromiseState == PromiseState.Pending).Select(t => t.TaskId).ToListAsync(cancellationToken);
        var broken = 0;
        foreach (var taskId in pending)
        {
            await using var taskScope = scopes.CreateAsyncScope();
            try
            {
                if (await CheckAsync(taskScope.ServiceProvider, taskId, cancellationToken))
                    broken++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One promise that cannot be checked must not stop the others; it is tried again next time.
                LogPromiseCheckFailed(ex, taskId);
            }
        }
        return broken;
    }

    private async Task<bool> CheckAsync(IServiceProvider services, Guid taskId, CancellationToken cancellationToken)
    {
        var unitOfWork = services.GetRequiredService<UnitOfWork<StrategyDbContext>>();
        var assigner = services.GetRequiredService<StrategyAssigner>();
        var guard = services.GetRequiredService<ComplianceGuard>();
        var db = unitOfWork.Db;
        return await unitOfWork.RunAsync(async ct =>
        {
            var task = await db.Tasks.SingleAsync(t => t.TaskId == taskId, ct);
            await assigner.LockBorrowerAsync(task.BorrowerId, ct);
            await db.Entry(task).ReloadAsync(ct);
            if (task.PromiseState != PromiseState.Pending || task.PromisedDate is not { } promisedDate || task.CompletedAt is not { } madeAt)
                return false;
            var now = clock.GetUtcNow();
            var payments = await db.Payments.AsNoTracking().Where(p => p.LoanId == task.LoanId && p.PaidOn != null)
                .Select(p => new { PaidOn = p.PaidOn!.Value, p.AmountPaid }).ToListAsync(ct);
            var state = PromiseCheck.Evaluate(DateOnly.FromDateTime(madeAt.UtcDateTime), promisedDate, task.Amount ?? 0m,
                payments.Select(p => (p.PaidOn, p.AmountPaid)), DateOnly.FromDateTime(now.UtcDateTime), options.Value.PromiseGracePeriod);
            if (state == PromiseState.Pending)
                return false;
            task.PromiseState = state;
            task.PromiseCheckedAt = now;
            task.Version++;
            if (state == PromiseState.Kept)
                return false;

            var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.LoanId == task.LoanId && a.Active, ct)
                             ?? await db.Assignments.SingleAsync(a => a.AssignmentId == task.AssignmentId, ct);
            var flags = await assigner.FlagsAsync(task.BorrowerId, ct);
            var contacts = await assigner.ContactsInWindowAsync(task.BorrowerId, now, ct);
            var planned = new PlannedTask(TaskKind.Call,
                $"Broken promise: {task.Amount:0.00} promised by {promisedDate:yyyy-MM-dd} was not paid; call the borrower again",
                options.Value.DueIn[TaskKind.Call]);
            var followUp = guard.GuardTasks([planned], flags, contacts, now).Single();
            db.Tasks.Add(StrategyAssigner.NewTask(assignment, followUp, now, task.TaskId));
            LogBroken(task.LoanId, task.TaskId);
            return true;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Promise of task {TaskId} on loan {LoanId} broken: loan reopened with a follow-up task")]
    private partial void LogBroken(string loanId, Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking promises to pay failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the promise of task {TaskId} failed; it is checked again next time")]
    private partial void LogPromiseCheckFailed(Exception exception, Guid taskId);
}
