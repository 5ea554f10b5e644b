using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Transport;

/// <summary>Asks Ingestion over HTTP whether it has recorded what was published.</summary>
public sealed class IngestionClient(HttpClient http)
{
    /// <summary>
    /// Waits until Ingestion has every (loan, payment) pair; returns how many it has when the time is up. Asks through
    /// Ingestion's reconciliation endpoint, a few thousand ids per request, for what is still missing: asking for each
    /// loan's history took more of Ingestion's time than recording the payments did.
    /// </summary>
    public async Task<int> WaitForAsync(IReadOnlyList<(string LoanId, string? PaymentId)> items, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var loans = items.Where(i => i.PaymentId is null).Select(i => i.LoanId).ToList();
        var payments = items.Where(i => i.PaymentId is not null).Select(i => i.PaymentId!).ToList();
        int total = loans.Count + payments.Count;
        // Asked at least once, even when the time is already up.
        for (var round = 0; loans.Count + payments.Count > 0 && (round == 0 || DateTime.UtcNow < deadline); round++)
        {
            try
            {
                loans = await MissingAsync(loans, payments: false, cancellationToken);
                payments = await MissingAsync(payments, payments: true, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out: Ingestion is busy (a backlog, or a loaded machine), which is what this loop
                // waits out. Asked again on the next round until the deadline.
            }
            if (loans.Count + payments.Count > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(PollInterval, cancellationToken);
        }
        return total - loans.Count - payments.Count;
    }

    /// <summary>How long to wait between two rounds of asking.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Ids per reconciliation request (Ingestion's limit is 10,000 by default).</summary>
    public const int IdsPerRequest = 5_000;

    private async Task<List<string>> MissingAsync(List<string> ids, bool payments, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var chunk in ids.Chunk(IdsPerRequest))
        {
            var request = payments ? new Reconcile(null, chunk) : new Reconcile(chunk, null);
            using var response = await http.PostAsJsonAsync("/api/reconciliation", request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var result = await response.Content.ReadFromJsonAsync<Reconciled>(cancellationToken)
                         ?? throw new InvalidOperationException("Ingestion answered the reconciliation with an empty body");
            missing.AddRange(payments ? result.MissingPaymentIds : result.MissingLoanIds);
        }
        return missing;
    }

    private sealed record Reconcile(IReadOnlyList<string>? LoanIds, IReadOnlyList<string>? PaymentIds);

    private sealed record Reconciled(IReadOnlyList<string> MissingLoanIds, IReadOnlyList<string> MissingPaymentIds);
}

/// <summary>A task in StrategyAssignment's work queue, the fields the floor needs.</summary>
public sealed record WorkTask(Guid TaskId, string LoanId, string Kind, string Status, int Version);

/// <summary>The collection floor's hands: StrategyAssignment's work-queue API.</summary>
public sealed class WorkQueueClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<WorkTask>> OpenTasksAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var result = await http.GetFromJsonAsync<TaskPage>($"/api/tasks?status=Open&page={page}&pageSize={pageSize}", Json, cancellationToken);
        return result?.Items ?? [];
    }

    /// <summary>Claims the task; false when another officer took it or compliance forbids it.</summary>
    public async Task<bool> ClaimAsync(WorkTask task, string officer, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/api/tasks/{task.TaskId}/claim", new { officer, version = task.Version }, Json, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound)
            return false;
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<bool> RecordAsync(WorkTask task, string officer, TaskOutcome outcome, DateOnly? promisedDate, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/api/tasks/{task.TaskId}/outcome", new
        {
            officer,
            outcome = outcome.Outcome,
            promisedDate = outcome.Promise ? promisedDate : null,
            amount = outcome.Amount,
            note = "simulated collection floor",
        }, Json, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
            return false;
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException(
                $"Recording {outcome.Outcome} on task {task.TaskId} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return true;
    }

    private sealed record TaskPage(List<WorkTask> Items, int Page, int PageSize, int Total);
}
