using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Working_the_collection_queue(StrategyHost service) : IClassFixture<StrategyHost>
{
    private async Task<string> TaskOf(string loanId, string kind)
    {
        var tasks = await service.TasksAsync($"loanId={loanId}&kind={kind}");
        return tasks.Single().GetProperty("taskId").GetString()!;
    }

    [Fact]
    public async Task Two_concurrent_claims_of_the_same_task_have_exactly_one_winner()
    {
        for (var i = 0; i < 5; i++)
            await service.AssignAsync(StrategyHost.Score($"W-RACE-{i}", $"W-RACE-B{i}", 0.6));

        for (var i = 0; i < 5; i++)
        {
            var taskId = await TaskOf($"W-RACE-{i}", "Call");
            var responses = await Task.WhenAll(
                service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/claim", new { officer = "officer-a" }),
                service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/claim", new { officer = "officer-b" }));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);
            var task = await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}");
            Assert.Equal("Claimed", task.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Recording_an_outcome_completes_the_task_and_publishes_CollectionTaskCompleted()
    {
        await service.AssignAsync(StrategyHost.Score("W-OUT", "W-OUT-B", 0.6));
        var taskId = await TaskOf("W-OUT", "SettlementOffer");
        (await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/claim", new { officer = "officer-7" })).EnsureSuccessStatusCode();

        var stranger = await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/outcome", new { officer = "officer-8", outcome = "Refused" });
        Assert.Equal(HttpStatusCode.Conflict, stranger.StatusCode);
        var done = await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/outcome",
            new { officer = "officer-7", outcome = "SettlementAccepted", amount = 30000.50m, note = "accepted by phone" });
        done.EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        JsonElement? completed = null;
        while (completed is null && DateTime.UtcNow < deadline)
        {
            completed = service.Completed.Messages.FirstOrDefault(m => m.GetProperty("taskId").GetString() == taskId) is { ValueKind: JsonValueKind.Object } m ? m : null;
            await Task.Delay(50);
        }
        Assert.NotNull(completed);
        Assert.Equal("SettlementAccepted", completed.Value.GetProperty("outcome").GetString());
        Assert.Equal("SettlementOffer", completed.Value.GetProperty("action").GetString());
        Assert.Equal(30000.50m, StrategyHost.Money(completed.Value.GetProperty("amountPromised")));
        Assert.Equal("officer-7", completed.Value.GetProperty("completedBy").GetString());
        Assert.Equal("Completed", (await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}")).GetProperty("status").GetString());

        var again = await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/outcome", new { officer = "officer-7", outcome = "Paid" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_promise_to_pay_without_date_or_amount_is_rejected_naming_the_fields()
    {
        await service.AssignAsync(StrategyHost.Score("W-PTP", "W-PTP-B", 0.3));
        var taskId = await TaskOf("W-PTP", "Reminder");

        var response = await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/outcome", new { officer = "officer-1", outcome = "PromiseToPay" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("promisedDate", out _));
        Assert.True(errors.TryGetProperty("amount", out _));
    }

    [Fact]
    public async Task The_queue_filters_by_strategy_status_and_assignee_and_pages_by_priority()
    {
        for (var i = 0; i < 4; i++)
            await service.AssignAsync(StrategyHost.Score($"W-PAGE-{i}", $"W-PAGE-B{i}", 0.9, balance: 10_000 * (i + 1)));
        var referral = await TaskOf("W-PAGE-0", "LegalReferral");
        (await service.Http.PostAsJsonAsync($"/api/tasks/{referral}/claim", new { officer = "officer-pager" })).EnsureSuccessStatusCode();

        var first = await service.Http.GetFromJsonAsync<JsonElement>("/api/tasks?strategy=LegalAction&status=Open&kind=LegalReferral&page=1&pageSize=2");
        var second = await service.Http.GetFromJsonAsync<JsonElement>("/api/tasks?strategy=LegalAction&status=Open&kind=LegalReferral&page=2&pageSize=2");
        var mine = await service.TasksAsync("assignee=officer-pager");

        var items = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();
        Assert.True(first.GetProperty("total").GetInt32() >= 3);
        var priorities = items.Select(t => t.GetProperty("priority").GetDecimal()).ToList();
        Assert.Equal(priorities.OrderByDescending(p => p), priorities);
        Assert.All(items, t => Assert.Equal("Open", t.GetProperty("status").GetString()));
        Assert.Equal(referral, Assert.Single(mine).GetProperty("taskId").GetString());
        var dueSoon = await service.TasksAsync($"loanId=W-PAGE-1&dueBefore={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(2.5).ToString("O"))}");
        Assert.Equal("Letter", Assert.Single(dueSoon).GetProperty("kind").GetString());
    }
}
