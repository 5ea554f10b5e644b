using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Transport;

/// <summary>Asks Ingestion over HTTP whether it has recorded what was published.</summary>
public sealed class IngestionClient(HttpClient http)
{
    /// <summary>True when the loan is known and, if given, the payment is in its history.</summary>
    public async Task<bool> HasAsync(string loanId, string? paymentId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/loans/{Uri.EscapeDataString(loanId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        response.EnsureSuccessStatusCode();
        if (paymentId is null)
            return true;
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty("payments", out var payments)
            && payments.EnumerateArray().Any(p => p.GetProperty("paymentId").GetString() == paymentId);
    }

    /// <summary>Waits until Ingestion has every (loan, payment) pair; returns how many it has when the time is up.</summary>
    public async Task<int> WaitForAsync(IReadOnlyList<(string LoanId, string? PaymentId)> items, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var done = 0;
        using var gate = new SemaphoreSlim(8);
        var remaining = items.ToList();
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            var results = await Task.WhenAll(remaining.Select(async item =>
            {
                await gate.WaitAsync(cancellationToken);
                try { return (item, ok: await HasAsync(item.LoanId, item.PaymentId, cancellationToken)); }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The request timed out: Ingestion is busy (a backlog, or a loaded machine), which is what this loop
                    // waits out. Asked again on the next round until the deadline.
                    return (item, ok: false);
                }
                finally { gate.Release(); }
            }));
            done += results.Count(r => r.ok);
            remaining = results.Where(r => !r.ok).Select(r => r.item).ToList();
            if (remaining.Count > 0)
                await Task.Delay(250, cancellationToken);
        }
        return done;
    }
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
