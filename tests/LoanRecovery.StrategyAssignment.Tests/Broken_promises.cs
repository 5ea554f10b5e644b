using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Broken_promises(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task A_promise_not_paid_by_its_date_reopens_the_loan_with_a_new_task()
    {
        await service.AssignAsync(StrategyHost.Score("BP-LOAN", "BP-B", 0.6));
        var call = (await service.TasksAsync("loanId=BP-LOAN&kind=Call")).Single().GetProperty("taskId").GetString();
        (await service.Http.PostAsJsonAsync($"/api/tasks/{call}/claim", new { officer = "officer-9" })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
        (await service.Http.PostAsJsonAsync($"/api/tasks/{call}/outcome",
            new { officer = "officer-9", outcome = "PromiseToPay", promisedDate = today, amount = 500m })).EnsureSuccessStatusCode();

        service.Clock.Advance(TimeSpan.FromDays(3));

        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        List<JsonElement> followUps = [];
        while (followUps.Count == 0 && DateTime.UtcNow < deadline)
        {
            followUps = (await service.TasksAsync("loanId=BP-LOAN&status=Open&kind=Call")).ToList();
            await Task.Delay(100);
        }
        var followUp = Assert.Single(followUps);
        Assert.Equal(call, followUp.GetProperty("followUpOf").GetString());
        Assert.Contains("Broken promise", followUp.GetProperty("description").GetString());
        var decisions = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/BP-LOAN/decisions");
        Assert.Equal("BrokenPromise", decisions.EnumerateArray().Last().GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_promise_paid_in_time_is_kept_and_opens_nothing()
    {
        await service.AssignAsync(StrategyHost.Score("KP-LOAN", "KP-B", 0.6));
        var call = (await service.TasksAsync("loanId=KP-LOAN&kind=Call")).Single().GetProperty("taskId").GetString();
        (await service.Http.PostAsJsonAsync($"/api/tasks/{call}/claim", new { officer = "officer-9" })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
        (await service.Http.PostAsJsonAsync($"/api/tasks/{call}/outcome",
            new { officer = "officer-9", outcome = "PromiseToPay", promisedDate = today.AddDays(1), amount = 500m })).EnsureSuccessStatusCode();
        await service.Bus.PublishAsync(new LoanRecovery.Contracts.PaymentRecorded("KP-PAY", "KP-LOAN", "KP-B", today, 500m, 500m, today, 0, 0, 0m, 9_500m,
            DateTimeOffset.UtcNow));

        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        string? state = null;
        while (state != "Kept" && DateTime.UtcNow < deadline)
        {
            state = (await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{call}")).GetProperty("promiseState").GetString();
            await Task.Delay(100);
        }
        Assert.Equal("Kept", state);
        Assert.Empty(await service.TasksAsync("loanId=KP-LOAN&status=Open&kind=Call"));
    }
}
