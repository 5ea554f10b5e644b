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
        await WaitForDecisionsAsync("R-L1", 3);
        Assert.Contains("Unchanged", (await DecisionsAsync("R-L1")).Last().GetProperty("summary").GetString());

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
        await WaitForDecisionsAsync("R-L1", 6);
        Assert.Contains("Unchanged", (await DecisionsAsync("R-L1")).Last().GetProperty("summary").GetString());
        Assert.Equal(2, (await service.AssignedFor("R-L1", 2)).Count);
    }

    private async Task<JsonElement[]> DecisionsAsync(string loanId) =>
        (await service.Http.GetFromJsonAsync<JsonElement>($"/api/loans/{loanId}/decisions")).EnumerateArray().ToArray();

    private async Task WaitForDecisionsAsync(string loanId, int count)
    {
        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        while ((await DecisionsAsync(loanId)).Length < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Fewer than {count} decisions for {loanId}");
            await Task.Delay(50);
        }
    }
}
