using LoanRecovery.ServiceDefaults.Security;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.StrategyAssignment.Assignment;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Endpoints;

public sealed record TaskView(Guid TaskId, Guid AssignmentId, string LoanId, string BorrowerId, RecoveryStrategy Strategy, TaskKind Kind, bool IsContact,
    string Description, decimal Priority, DateTimeOffset DueAt, DateTimeOffset NotBefore, string? ComplianceReason, CollectionTaskStatus Status,
    string? Assignee, DateTimeOffset? ClaimedAt, TaskOutcome? Outcome, DateOnly? PromisedDate, decimal? Amount, string? Note,
    DateTimeOffset? CompletedAt, PromiseState? PromiseState, Guid? FollowUpOf, string? CancelledReason, DateTimeOffset CreatedAt, int Version)
{
    public static TaskView Of(CollectionTaskRecord t) => new(t.TaskId, t.AssignmentId, t.LoanId, t.BorrowerId, t.Strategy, t.Kind, t.IsContact,
        t.Description, t.Priority, t.DueAt, t.NotBefore, t.ComplianceReason, t.Status, t.Assignee, t.ClaimedAt, t.Outcome, t.PromisedDate, t.Amount,
        t.Note, t.CompletedAt, t.PromiseState, t.FollowUpOf, t.CancelledReason, t.CreatedAt, t.Version);
}

public sealed record TaskPage(IReadOnlyList<TaskView> Items, int Page, int PageSize, int Total);

public sealed record AssignmentView(Guid AssignmentId, string LoanId, string BorrowerId, RecoveryStrategy Strategy, RiskBand Band, bool RuleBased,
    PolicyArm Arm, string PolicyVersion, string Source, Guid ScoreId, double Probability, string ModelVersion, decimal Priority,
    JsonElement Actions, JsonElement Reasons, JsonElement? Plan, bool Active, DateTimeOffset AssignedAt, DateTimeOffset? EndedAt, string? EndedReason,
    DelinquencyStage? Stage)
{
    public static AssignmentView Of(AssignmentRecord a) => new(a.AssignmentId, a.LoanId, a.BorrowerId, a.Strategy, a.Band, a.RuleBased, a.Arm,
        a.PolicyVersion, a.Source, a.ScoreId, a.Probability, a.ModelVersion, a.Priority, StrategyJson.Element(a.Actions), StrategyJson.Element(a.Reasons),
        a.Plan is null ? null : StrategyJson.Element(a.Plan), a.Active, a.AssignedAt, a.EndedAt, a.EndedReason, a.Stage);
}

public sealed record DecisionEntry(DateTimeOffset At, string Type, string Summary, object Details);

public sealed record PolicyView(string Version, PolicyKind Kind, string Description, string Source, string CreatedBy, DateTimeOffset CreatedAt,
    string? Role, JsonElement Document);

public sealed record NewPolicyRequest(PolicyDocument? Document, string? Description, string? CreatedBy);

public sealed record PolicyRoleRequest(string? Version, string? ChangedBy);

public sealed record ClaimRequest(string? Officer, int? Version);

public sealed record ComplianceView(string BorrowerId, string TimeZone, bool CeaseContact, bool Dispute, bool Bankruptcy, string? UpdatedBy,
    DateTimeOffset? UpdatedAt, int CancelledTasks);

public static class StrategyEndpoints
{
    public static WebApplication MapStrategyAssignmentEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("StrategyAssignment").RequireAuthorization(ServiceRoles.Staff);
        api.MapGet("/tasks", ListTasksAsync).WithSummary("The work queue, highest expected recovery first, with filters and paging");
        api.MapGet("/tasks/{taskId:guid}", GetTaskAsync).WithSummary("One task");
        api.MapPost("/tasks/{taskId:guid}/claim", ClaimAsync).WithSummary("Claim an open task; the loser of a race gets 409").RequireAuthorization(ServiceRoles.Collector);
        api.MapPost("/tasks/{taskId:guid}/outcome", OutcomeAsync).WithSummary("Record the outcome of a claimed task; publishes CollectionTaskCompleted").RequireAuthorization(ServiceRoles.Collector);
        api.MapGet("/loans/{loanId}/strategy", GetStrategyAsync).WithSummary("The loan's active strategy");
        api.MapPost("/loans/{loanId}/overrides", OverrideAsync).WithSummary("Override the loan's strategy (a reason is required; audited)").RequireAuthorization(ServiceRoles.Collector);
        api.MapGet("/loans/{loanId}/decisions", DecisionsAsync).WithSummary("Every score, strategy, override and outcome of a loan, in order");
        api.MapGet("/borrowers/{borrowerId}/compliance", GetComplianceAsync).WithSummary("A borrower's time zone and no-contact flags");
        api.MapPut("/borrowers/{borrowerId}/compliance", PutComplianceAsync).WithSummary("Set a borrower's time zone and no-contact flags").RequireAuthorization(ServiceRoles.Collector);
        api.MapGet("/policies", ListPoliciesAsync).WithSummary("Every policy version; the champion and challenger marked");
        api.MapGet("/policies/{version}", GetPolicyAsync).WithSummary("One policy version");
        api.MapPost("/policies", AddPolicyAsync).WithSummary("Store a new policy version (not yet champion)").RequireAuthorization(ServiceRoles.Analyst);
        api.MapPut("/policies/champion", SetChampionAsync).WithSummary("Make a policy version champion, effective for the next decision").RequireAuthorization(ServiceRoles.Analyst);
        api.MapPut("/policies/challenger", SetChallengerAsync).WithSummary("Make a policy version challenger (null version: no challenger)").RequireAuthorization(ServiceRoles.Analyst);
        return app;
    }

    private static ProblemHttpResult Problem(WorkQueueProblem problem) =>
        TypedResults.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Message);

    private static async Task<Results<Ok<TaskPage>, ValidationProblem>> ListTasksAsync(StrategyDbContext db, RecoveryStrategy? strategy,
        CollectionTaskStatus? status, string? assignee, TaskKind? kind, string? loanId, DateTimeOffset? dueBefore, DateTimeOffset? dueAfter,
        int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var p = page ?? 1;
        var size = pageSize ?? 50;
        var errors = new Dictionary<string, string[]>();
        if (p < 1) errors["page"] = ["The page starts at 1"];
        if (size is < 1 or > 500) errors["pageSize"] = ["The page size is 1 to 500"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        var query = db.Tasks.AsNoTracking();
        if (strategy is { } s) query = query.Where(t => t.Strategy == s);
        if (status is { } st) query = query.Where(t => t.Status == st);
        if (!string.IsNullOrEmpty(assignee)) query = query.Where(t => t.Assignee == assignee);
        if (kind is { } k) query = query.Where(t => t.Kind == k);
        if (!string.IsNullOrEmpty(loanId)) query = query.Where(t => t.LoanId == loanId);
        if (dueBefore is { } before) query = query.Where(t => t.DueAt < before);
        if (dueAfter is { } after) query = query.Where(t => t.DueAt >= after);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(t => t.Priority).ThenBy(t => t.DueAt).ThenBy(t => t.TaskId)
            .Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new TaskPage(items.Select(TaskView.Of).ToList(), p, size, total));
    }

    private static async Task<Results<Ok<TaskView>, NotFound>> GetTaskAsync(Guid taskId, StrategyDbContext db, CancellationToken cancellationToken) =>
        await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.TaskId == taskId, cancellationToken) is { } task
            ? TypedResults.Ok(TaskView.Of(task))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<TaskView>, ValidationProblem, ProblemHttpResult>> ClaimAsync(Guid taskId, ClaimRequest request, WorkQueue queue,
        CancellationToken cancellationToken)
    {
        var errors = WorkQueue.ValidateOfficer(request.Officer);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The claim is not valid");
        try
        {
            return TypedResults.Ok(TaskView.Of(await queue.ClaimAsync(taskId, request.Officer!, request.Version, cancellationToken)));
        }
        catch (WorkQueueProblem problem)
        {
            return Problem(problem);
        }
    }

    private static async Task<Results<Ok<TaskView>, ValidationProblem, ProblemHttpResult>> OutcomeAsync(Guid taskId, OutcomeRequest request,
        WorkQueue queue, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = WorkQueue.Validate(request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The outcome is not valid");
        try
        {
            return TypedResults.Ok(TaskView.Of(await queue.RecordOutcomeAsync(taskId, request, cancellationToken)));
        }
        catch (WorkQueueProblem problem)
        {
            return Problem(problem);
        }
    }

    private static async Task<Results<Ok<AssignmentView>, NotFound>> GetStrategyAsync(string loanId, StrategyDbContext db, CancellationToken cancellationToken) =>
        await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.LoanId == loanId && a.Active, cancellationToken) is { } a
            ? TypedResults.Ok(AssignmentView.Of(a))
            : TypedResults.NotFound();

    private static async Task<Results<Created<AssignmentView>, ValidationProblem, ProblemHttpResult>> OverrideAsync(string loanId, OverrideRequest request,
        WorkQueue queue, CancellationToken cancellationToken)
    {
        var errors = WorkQueue.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The override is not valid");
        try
        {
            var assignment = await queue.OverrideAsync(loanId, request, cancellationToken);
            return TypedResults.Created($"/api/loans/{Uri.EscapeDataString(loanId)}/strategy", AssignmentView.Of(assignment));
        }
        catch (WorkQueueProblem problem)
        {
            return Problem(problem);
        }
    }

    private static async Task<Results<Ok<List<DecisionEntry>>, NotFound>> DecisionsAsync(string loanId, StrategyDbContext db, CancellationToken cancellationToken)
    {
        var scores = await db.Scores.AsNoTracking().Where(s => s.LoanId == loanId).ToListAsync(cancellationToken);
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.LoanId == loanId).ToListAsync(cancellationToken);
        if (scores.Count == 0 && assignments.Count == 0)
            return TypedResults.NotFound();
        var overrides = await db.Overrides.AsNoTracking().Where(o => o.LoanId == loanId).ToListAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.LoanId == loanId && (t.CompletedAt != null || t.PromiseCheckedAt != null))
            .ToListAsync(cancellationToken);

        var entries = new List<(DateTimeOffset At, int Order, DecisionEntry Entry)>();
        foreach (var s in scores)
            entries.Add((s.ReceivedAt, 0, new DecisionEntry(s.ReceivedAt, "Score",
                $"Probability {s.Probability:0.00} ({s.Band}) from model {s.ModelVersion}{(s.ModelUsable ? "" : " (not usable)")}: {s.Effect}",
                new { s.ScoreId, s.Probability, s.Band, s.ModelVersion, s.ModelUsable, s.ScoredAt, s.Effect })));
        foreach (var o in overrides)
            entries.Add((o.At, 1, new DecisionEntry(o.At, "Override", $"Officer {o.Officer} overrode {o.FromStrategy} with {o.RequestedStrategy}: {o.Reason}",
                new { o.Officer, o.Reason, o.FromStrategy, o.RequestedStrategy, o.FromAssignmentId, o.ToAssignmentId })));
        foreach (var a in assignments)
            entries.Add((a.AssignedAt, 2, new DecisionEntry(a.AssignedAt, "Strategy",
                $"{a.Strategy} by {a.PolicyVersion} ({a.Arm}{(a.RuleBased ? ", rule-based" : "")})", AssignmentView.Of(a))));
        foreach (var t in tasks)
        {
            if (t.CompletedAt is { } completed)
                entries.Add((completed, 3, new DecisionEntry(completed, "Outcome", $"{t.Kind} by {t.Assignee}: {t.Outcome}",
                    new { t.TaskId, t.Kind, t.Outcome, t.Amount, t.PromisedDate, Officer = t.Assignee, t.Note })));
            if (t.PromiseCheckedAt is { } checkedAt && t.PromiseState is { } state)
                entries.Add((checkedAt, 4, new DecisionEntry(checkedAt, state == PromiseState.Broken ? "BrokenPromise" : "PromiseKept",
                    state == PromiseState.Broken
                        ? $"{t.Amount:0.00} promised by {t.PromisedDate:yyyy-MM-dd} was not paid: the loan is reopened with a new task"
                        : $"{t.Amount:0.00} promised by {t.PromisedDate:yyyy-MM-dd} was paid",
                    new { t.TaskId, t.Amount, t.PromisedDate, State = state })));
        }
        return TypedResults.Ok(entries.OrderBy(e => e.At).ThenBy(e => e.Order).Select(e => e.Entry).ToList());
    }

    private static async Task<Ok<ComplianceView>> GetComplianceAsync(string borrowerId, StrategyDbContext db,
        Microsoft.Extensions.Options.IOptions<StrategyAssignmentOptions> options, CancellationToken cancellationToken)
    {
        var record = await db.Compliance.AsNoTracking().SingleOrDefaultAsync(c => c.BorrowerId == borrowerId, cancellationToken);
        return TypedResults.Ok(new ComplianceView(borrowerId, record?.TimeZone ?? options.Value.DefaultTimeZone, record?.CeaseContact ?? false,
            record?.Dispute ?? false, record?.Bankruptcy ?? false, record?.UpdatedBy, record?.UpdatedAt, 0));
    }

    private static async Task<Results<Ok<ComplianceView>, ValidationProblem>> PutComplianceAsync(string borrowerId, ComplianceRequest request,
        WorkQueue queue, Microsoft.Extensions.Options.IOptions<StrategyAssignmentOptions> options, CancellationToken cancellationToken)
    {
        var errors = WorkQueue.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The compliance details are not valid");
        var (r, cancelled) = await queue.SetComplianceAsync(borrowerId, request, cancellationToken);
        return TypedResults.Ok(new ComplianceView(borrowerId, r.TimeZone ?? options.Value.DefaultTimeZone, r.CeaseContact, r.Dispute, r.Bankruptcy,
            r.UpdatedBy, r.UpdatedAt, cancelled));
    }

    private static async Task<List<PolicyView>> PolicyViewsAsync(StrategyDbContext db, string? version, CancellationToken cancellationToken)
    {
        var roles = await db.PolicyRoles.AsNoTracking().ToDictionaryAsync(r => r.Version, r => r.Role, cancellationToken);
        var policies = await db.Policies.AsNoTracking().Where(p => version == null || p.Version == version)
            .OrderByDescending(p => p.Sequence).ToListAsync(cancellationToken);
        return policies.Select(p => new PolicyView(p.Version, p.Kind, p.Description, p.Source, p.CreatedBy, p.CreatedAt,
            roles.GetValueOrDefault(p.Version), StrategyJson.Element(p.Document))).ToList();
    }

    private static async Task<Ok<List<PolicyView>>> ListPoliciesAsync(StrategyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await PolicyViewsAsync(db, null, cancellationToken));

    private static async Task<Results<Ok<PolicyView>, NotFound>> GetPolicyAsync(string version, StrategyDbContext db, CancellationToken cancellationToken) =>
        (await PolicyViewsAsync(db, version, cancellationToken)).SingleOrDefault() is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Created<PolicyView>, ValidationProblem>> AddPolicyAsync(NewPolicyRequest request, StrategyDbContext db,
        PolicyStore store, CancellationToken cancellationToken)
    {
        var errors = request.Document is null
            ? new Dictionary<string, string[]> { ["document"] = ["The policy document is required"] }
            : request.Document.Validate().ToDictionary(e => "document." + e.Key, e => e.Value);
        if (string.IsNullOrWhiteSpace(request.Description))
            errors["description"] = ["Say what the policy is for"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The policy is not valid");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await store.AddAsync(request.Document!, request.Description!, "api", request.CreatedBy ?? "api", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var view = (await PolicyViewsAsync(db, record.Version, cancellationToken)).Single();
        return TypedResults.Created($"/api/policies/{record.Version}", view);
    }

    private static Task<Results<Ok<List<PolicyView>>, ValidationProblem, NotFound>> SetChampionAsync(PolicyRoleRequest request, StrategyDbContext db,
        PolicyStore store, CancellationToken cancellationToken) => SetRoleAsync(PolicyRoleRecord.Champion, request, db, store, cancellationToken);

    private static Task<Results<Ok<List<PolicyView>>, ValidationProblem, NotFound>> SetChallengerAsync(PolicyRoleRequest request, StrategyDbContext db,
        PolicyStore store, CancellationToken cancellationToken) => SetRoleAsync(PolicyRoleRecord.Challenger, request, db, store, cancellationToken);

    private static async Task<Results<Ok<List<PolicyView>>, ValidationProblem, NotFound>> SetRoleAsync(string role, PolicyRoleRequest request,
        StrategyDbContext db, PolicyStore store, CancellationToken cancellationToken)
    {
        if (role == PolicyRoleRecord.Champion && string.IsNullOrWhiteSpace(request.Version))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["The champion's version is required"] });
        if (request.Version is not null && !await db.Policies.AnyAsync(p => p.Version == request.Version, cancellationToken))
            return TypedResults.NotFound();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('strategy-policy-roles'))", cancellationToken);
        var other = await db.PolicyRoles.AsNoTracking().SingleOrDefaultAsync(r => r.Role != role, cancellationToken);
        if (request.Version is not null && other?.Version == request.Version)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = [$"{request.Version} is already the {other.Role}"] });
        await store.SetRoleAsync(role, request.Version, request.ChangedBy ?? "api", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await PolicyViewsAsync(db, null, cancellationToken));
    }
}
