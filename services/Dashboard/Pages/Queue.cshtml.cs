using LoanRecovery.Dashboard.Clients;
using LoanRecovery.Dashboard.SignIn;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.Pages;

public sealed class OutcomeInput
{
    public string? Outcome { get; set; }
    public DateOnly? PromisedDate { get; set; }
    public decimal? Amount { get; set; }
    public string? Note { get; set; }
}

public sealed class OverrideInput
{
    public string? Strategy { get; set; }
    public string? Reason { get; set; }
}

/// <summary>
/// The collection officers' work queue: filter, claim, record an outcome, override a strategy. Everyone signed in may read it;
/// only officers may act on it, checked here on the server (<see cref="ForRolesAttribute"/>), not only by hiding the forms.
/// The officer recorded is the signed-in username, which is also the subject of the token the service receives.
/// </summary>
public sealed class QueueModel(StrategyAssignmentClient strategy, IOptions<DashboardOptions> options) : PageModel
{
    private static readonly string[] OutcomeFields = ["Outcome", "PromisedDate", "Amount", "Note"];
    private static readonly string[] OverrideFields = ["Strategy", "Reason"];

    [BindProperty(SupportsGet = true)] public string? Strategy { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Assignee { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? DueBy { get; set; }
    [BindProperty(SupportsGet = true)] public string? LoanId { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public Guid? Selected { get; set; }

    [BindProperty] public OutcomeInput OutcomeForm { get; set; } = new();
    [BindProperty] public OverrideInput OverrideForm { get; set; } = new();

    public SignedInUser Actor => SignedInUser.From(User) ?? throw new InvalidOperationException("The work queue needs a signed-in user");
    public bool CanWork => Actor.Role == DashboardRole.Officer;
    public TaskPage? Tasks { get; private set; }
    public TaskView? SelectedTask { get; private set; }
    public string? Problem { get; private set; }
    [TempData] public string? Notice { get; set; }

    public int TotalPages => Tasks is null ? 0 : Math.Max(1, (Tasks.Total + Tasks.PageSize - 1) / Tasks.PageSize);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    [ForRoles(DashboardRole.Officer)]
    public async Task<IActionResult> OnPostClaimAsync(Guid taskId, int version, CancellationToken ct)
    {
        var result = await strategy.ClaimAsync(taskId, new ClaimRequest(Actor.Username, version), ct);
        if (!result.Succeeded)
        {
            Problem = $"Claim refused. {result.Message}";
            return await PageAsync(ct);
        }
        Notice = $"You claimed the task on loan {result.Value!.LoanId}.";
        return RedirectToPage(RouteValues(taskId));
    }

    [ForRoles(DashboardRole.Officer)]
    public async Task<IActionResult> OnPostOutcomeAsync(Guid taskId, CancellationToken ct)
    {
        Selected = taskId;
        if (!ModelState.IsValid)
            return await PageAsync(ct);
        var form = OutcomeForm;
        var result = await strategy.OutcomeAsync(taskId,
            new OutcomeRequest(Actor.Username, string.IsNullOrEmpty(form.Outcome) ? null : form.Outcome, form.PromisedDate, form.Amount, form.Note), ct);
        if (!result.Succeeded)
        {
            ApiErrors.AddTo(ModelState, nameof(OutcomeForm), result, OutcomeFields);
            return await PageAsync(ct);
        }
        Notice = $"Outcome {Vocabulary.Words(result.Value!.Outcome ?? "")} recorded on loan {result.Value.LoanId}.";
        return RedirectToPage(RouteValues(taskId));
    }

    [ForRoles(DashboardRole.Officer)]
    public async Task<IActionResult> OnPostOverrideAsync(Guid taskId, string loanId, CancellationToken ct)
    {
        Selected = taskId;
        if (!ModelState.IsValid)
            return await PageAsync(ct);
        var form = OverrideForm;
        var result = await strategy.OverrideAsync(loanId,
            new OverrideRequest(string.IsNullOrEmpty(form.Strategy) ? null : form.Strategy, form.Reason, Actor.Username), ct);
        if (!result.Succeeded)
        {
            ApiErrors.AddTo(ModelState, nameof(OverrideForm), result, OverrideFields);
            return await PageAsync(ct);
        }
        Notice = $"Loan {loanId} now follows {Vocabulary.Words(result.Value!.Strategy)} (override recorded).";
        return RedirectToPage(RouteValues(null));
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        var result = await strategy.TasksAsync(new TaskFilter(Strategy, Status, Assignee, DueBy, LoanId, PageNumber, options.Value.TaskPageSize), ct);
        if (result.Succeeded)
            Tasks = result.Value;
        else
            Problem ??= result.Message;
        if (Selected is { } id)
            SelectedTask = Tasks?.Items.FirstOrDefault(t => t.TaskId == id) ?? (await strategy.TaskAsync(id, ct)).Value;
    }

    public object RouteValues(Guid? selected, int? page = null) => new
    {
        Strategy, Status, Assignee, DueBy = DueBy?.ToString("yyyy-MM-dd"), LoanId, PageNumber = page ?? PageNumber, Selected = selected,
    };
}
