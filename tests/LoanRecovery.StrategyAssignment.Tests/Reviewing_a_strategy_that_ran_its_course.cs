using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;

namespace LoanRecovery.StrategyAssignment.Tests;

/// <summary>A loan still in arrears <c>ReviewStrategyAfter</c> (90 days) after its strategy was assigned is decided again.</summary>
public sealed class Reviewing_a_strategy_that_ran_its_course(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task A_loan_still_in_arrears_after_the_review_period_is_decided_again_in_the_same_band_and_stage()
    {
        var first = await service.AssignAsync(StrategyHost.Score("R-L1", "R-B1", 0.6, daysPastDue: 70));
        Assert.Equal("Settlement", first.GetProperty("strategy").EnumName<RecoveryStrategy>());

        // Within the review period the same band and stage keep the strategy.
        service.Clock.Advance(TimeSpan.FromDays(60));
        await service.Bus.PublishAsync(StrategyHost.Score("R-L1", "R-B1", 0.62, daysPastDue: 100), Guid.NewGuid());
        Assert.Contains("Unchanged", (await service.WaitForDecisionsAsync("R-L1", 3)).Last().GetProperty("summary").GetString());

        // 91 days after the assignment the next score reviews it: a new assignment of the policy's strategy, new tasks.
        service.Clock.Advance(TimeSpan.FromDays(31));
        var reviewed = await service.AssignAsync(StrategyHost.Score("R-L1", "R-B1", 0.63, daysPastDue: 130));
        Assert.Equal("Settlement", reviewed.GetProperty("strategy").EnumName<RecoveryStrategy>());
        Assert.NotEqual(first.GetProperty("assignmentId").GetGuid(), reviewed.GetProperty("assignmentId").GetGuid());

        var ended = await service.Database.ScalarAsync<string>(
            "SELECT ended_reason FROM strategy.assignment WHERE loan_id = 'R-L1' AND NOT active");
        Assert.Equal("Review: Settlement has run for 91 days and the loan is still 130 days past due", ended);
        Assert.Equal(1, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.assignment WHERE loan_id = 'R-L1' AND active"));
        var tasks = await service.TasksAsync("loanId=R-L1");
        Assert.Equal(2, tasks.Count(t => t.GetProperty("status").GetString() == "Cancelled"));
        Assert.Equal(2, tasks.Count(t => t.GetProperty("status").GetString() == "Open"));

        // The period runs again from the review.
        service.Clock.Advance(TimeSpan.FromDays(30));
        await service.Bus.PublishAsync(StrategyHost.Score("R-L1", "R-B1", 0.64, daysPastDue: 160), Guid.NewGuid());
        Assert.Contains("Unchanged", (await service.WaitForDecisionsAsync("R-L1", 6)).Last().GetProperty("summary").GetString());
        Assert.Equal(2, (await service.AssignedFor("R-L1", 2)).Count);
    }

    [Fact]
    public async Task A_loan_current_again_an_officer_s_override_and_legal_action_are_not_reviewed()
    {
        // Current again: no days past due, though its missed payments (a lifetime count) keep it scored.
        await service.AssignAsync(StrategyHost.Score("R-CURED", "R-B2", 0.3, daysPastDue: 20, missedPayments: 1));
        // An officer's override of a policy strategy.
        await service.AssignAsync(StrategyHost.Score("R-OVER", "R-B3", 0.6, daysPastDue: 70));
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync("/api/loans/R-OVER/overrides",
            new { strategy = "Reminder", reason = "Hardship: agreed to wait for the next salary", officer = "officer-7" })).StatusCode);
        await service.AssignedFor("R-OVER", 2);
        // Legal action.
        var legal = await service.AssignAsync(StrategyHost.Score("R-LEGAL", "R-B4", 0.9, daysPastDue: 70));
        Assert.Equal("LegalAction", legal.GetProperty("strategy").EnumName<RecoveryStrategy>());

        service.Clock.Advance(TimeSpan.FromDays(91));
        await service.Bus.PublishAsync(StrategyHost.Score("R-CURED", "R-B2", 0.3, daysPastDue: 0, missedPayments: 1), Guid.NewGuid());
        await service.Bus.PublishAsync(StrategyHost.Score("R-OVER", "R-B3", 0.6, daysPastDue: 160), Guid.NewGuid());
        await service.Bus.PublishAsync(StrategyHost.Score("R-LEGAL", "R-B4", 0.9, daysPastDue: 160), Guid.NewGuid());
        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        while (await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.score WHERE loan_id IN ('R-CURED', 'R-OVER', 'R-LEGAL')") < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second scores were not all recorded");
            await Task.Delay(50);
        }

        var effects = await service.Database.ScalarAsync<string>(
            "SELECT string_agg(effect, ' | ' ORDER BY loan_id) FROM strategy.score WHERE loan_id IN ('R-CURED', 'R-OVER', 'R-LEGAL') AND received_at = (SELECT max(received_at) FROM strategy.score s WHERE s.loan_id = score.loan_id)");
        Assert.Equal(3, effects.Split(" | ").Count(e => e.StartsWith("Unchanged", StringComparison.Ordinal)));
        Assert.Equal(0, await service.Database.ScalarAsync<long>(
            "SELECT count(*) FROM strategy.assignment WHERE loan_id IN ('R-CURED', 'R-OVER', 'R-LEGAL') AND ended_reason LIKE 'Review%'"));
        var over = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/R-OVER/strategy");
        Assert.Equal("Reminder", over.GetProperty("strategy").GetString());
    }
}
