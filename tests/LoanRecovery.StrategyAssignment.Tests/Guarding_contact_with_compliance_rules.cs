using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Guarding_contact_with_compliance_rules(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task The_8th_contact_within_7_days_is_blocked_and_replaced_with_the_reason_recorded()
    {
        for (var i = 1; i <= 8; i++)
            await service.Bus.PublishAsync(StrategyHost.Score($"C-L{i}", "C-BUSY", 0.3), Guid.NewGuid());
        for (var i = 1; i <= 8; i++)
            await service.AssignedFor($"C-L{i}");

        var tasks = (await service.TasksAsync("")).Where(t => t.GetProperty("borrowerId").GetString() == "C-BUSY").ToList();
        Assert.Equal(8, tasks.Count);
        Assert.Equal(7, tasks.Count(t => t.GetProperty("kind").GetString() == "Reminder" && t.GetProperty("isContact").GetBoolean()));
        var replaced = Assert.Single(tasks, t => t.GetProperty("kind").GetString() == "AccountReview");
        Assert.False(replaced.GetProperty("isContact").GetBoolean());
        Assert.Contains("7 contact attempts within 7 days", replaced.GetProperty("complianceReason").GetString());

        var events = Enumerable.Range(1, 8).SelectMany(i => service.Assigned.Messages.Where(m => m.GetProperty("loanId").GetString() == $"C-L{i}"));
        Assert.Single(events, e => e.GetProperty("reasons").EnumerateArray().Any(r => r.GetString()!.Contains("contact attempts within 7 days")));
    }

    [Fact]
    public async Task Cease_contact_stops_every_contact_task_and_settlement_is_replaced()
    {
        await service.AssignAsync(StrategyHost.Score("C-CEASE-1", "C-CEASE", 0.6));
        Assert.Contains(await service.TasksAsync("loanId=C-CEASE-1&status=Open"), t => t.GetProperty("isContact").GetBoolean());

        var put = await service.Http.PutAsJsonAsync("/api/borrowers/C-CEASE/compliance",
            new { timeZone = "America/New_York", ceaseContact = true, dispute = false, bankruptcy = false, updatedBy = "officer-1" });
        put.EnsureSuccessStatusCode();
        Assert.Equal(2, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelledTasks").GetInt32());

        var second = await service.AssignAsync(StrategyHost.Score("C-CEASE-2", "C-CEASE", 0.6));
        var legal = await service.AssignAsync(StrategyHost.Score("C-CEASE-3", "C-CEASE", 0.9));

        Assert.Equal("Reminder", second.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Contains(second.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("cease contact"));
        Assert.Equal("LegalAction", legal.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        var live = (await service.TasksAsync("")).Where(t => t.GetProperty("borrowerId").GetString() == "C-CEASE" &&
                                                            t.GetProperty("status").GetString() != "Cancelled").ToList();
        Assert.NotEmpty(live);
        Assert.All(live, t => Assert.False(t.GetProperty("isContact").GetBoolean(), t.ToString()));
        Assert.Contains(live, t => t.GetProperty("kind").GetString() == "LegalReferral");
    }

    [Fact]
    public async Task Legal_action_below_the_configured_days_past_due_or_balance_becomes_settlement()
    {
        var young = await service.AssignAsync(StrategyHost.Score("C-YOUNG", "C-YOUNG-B", 0.9, daysPastDue: 20));
        var small = await service.AssignAsync(StrategyHost.Score("C-SMALL", "C-SMALL-B", 0.9, balance: 300));

        Assert.Equal("Settlement", young.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Contains(young.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("below 60 days past due"));
        Assert.Equal("Settlement", small.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Contains(small.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("below a balance of 1000.00"));
    }

    [Fact]
    public async Task An_unknown_time_zone_is_rejected_with_problem_details()
    {
        var response = await service.Http.PutAsJsonAsync("/api/borrowers/C-TZ/compliance",
            new { timeZone = "Mars/Olympus", ceaseContact = false, dispute = false, bankruptcy = false });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _));
    }
}
