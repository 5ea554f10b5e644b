using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Episodes_across_delinquency_stages(PerformanceService service) : IClassFixture<PerformanceService>
{
    [Fact]
    public async Task An_episode_ends_when_its_loan_reaches_the_late_stage_and_the_late_strategy_gets_an_episode_of_its_own()
    {
        var outcomes = await service.Probe.ListenAsync("LoanRecovery.Contracts.RecoveryOutcomeRecorded");
        var t = service.Clock.GetUtcNow();
        var early = await service.OpenAsync("EP-STAGE", 3000m, RecoveryStrategy.Reminder, PolicyArm.Exploration, daysPastDue: 30, stage: DelinquencyStage.Early);
        await service.Bus.PublishAsync(PerformanceService.Payment("EP-STAGE-P1", "EP-STAGE", 400m, 2600m, 45, t.AddDays(10)));
        await WaitForLoanEpisodesAsync("EP-STAGE", 1);

        var late = early with { AssignmentId = Guid.NewGuid(), Strategy = RecoveryStrategy.LegalAction, Stage = DelinquencyStage.Late, AssignedAt = t.AddDays(31) };
        await service.Bus.PublishAsync(late);

        var ended = (await outcomes.WaitForAsync(1, PerformanceService.Wait)).Single(o => o.GetProperty("loanId").GetString() == "EP-STAGE");
        Assert.Equal(RecoveryStrategy.Reminder, PerformanceService.Enum<RecoveryStrategy>(ended.GetProperty("strategy")));
        Assert.Equal(RecoveryStatus.PartiallyRecovered, PerformanceService.Enum<RecoveryStatus>(ended.GetProperty("status")));
        Assert.Equal(400m, PerformanceService.Decimal(ended.GetProperty("amountRecovered")));
        Assert.Equal(31, ended.GetProperty("daysToRecover").GetInt32());

        var episodes = await WaitForLoanEpisodesAsync("EP-STAGE", 2);
        var closed = episodes.Single(e => e.GetProperty("closedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal(("Early", "the loan reached the Late stage", t.AddDays(31)),
            (closed.GetProperty("stage").GetString(), closed.GetProperty("closeReason").GetString(), closed.GetProperty("windowEndsAt").GetDateTimeOffset()));
        var open = episodes.Single(e => e.GetProperty("closedAt").ValueKind == JsonValueKind.Null);
        Assert.Equal(("Late", "LegalAction", late.AssignmentId), (open.GetProperty("stage").GetString(), open.GetProperty("strategy").GetString(),
            open.GetProperty("assignmentId").GetGuid()));

        // A later assignment in the same stage falls into the open episode (intention to treat).
        await service.Bus.PublishAsync(late with { AssignmentId = Guid.NewGuid(), Strategy = RecoveryStrategy.Settlement, AssignedAt = t.AddDays(40) });
        var deadline = DateTime.UtcNow + PerformanceService.Wait;
        while (await service.Database.ScalarAsync<long>("SELECT count(*) FROM performance.assignment WHERE loan_id = 'EP-STAGE'") < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "The third assignment of EP-STAGE was not recorded");
            await Task.Delay(100);
        }
        Assert.Equal(2, (await WaitForLoanEpisodesAsync("EP-STAGE", 2)).Count);
    }

    [Fact]
    public async Task An_assignment_after_the_open_episode_s_window_ended_closes_it_and_opens_the_loan_s_next_episode()
    {
        // A strategy review comes when the episode's window has ended; the closer runs on this service's clock, which has not
        // reached the window's end here, so only the assignment itself can close the episode.
        var t = service.Clock.GetUtcNow();
        var first = await service.OpenAsync("EP-REVIEW", 3000m, RecoveryStrategy.Settlement, PolicyArm.Champion, daysPastDue: 70, stage: DelinquencyStage.Late);
        await WaitForLoanEpisodesAsync("EP-REVIEW", 1);

        var review = first with { AssignmentId = Guid.NewGuid(), AssignedAt = first.AssignedAt.AddDays(95) };
        await service.Bus.PublishAsync(review);

        var episodes = await WaitForLoanEpisodesAsync("EP-REVIEW", 2);
        var closed = episodes.Single(e => e.GetProperty("closedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal((first.AssignmentId, first.AssignedAt.AddDays(90), "observation window ended"),
            (closed.GetProperty("assignmentId").GetGuid(), closed.GetProperty("closedAt").GetDateTimeOffset(), closed.GetProperty("closeReason").GetString()));
        var open = episodes.Single(e => e.GetProperty("closedAt").ValueKind == JsonValueKind.Null);
        Assert.Equal((review.AssignmentId, review.AssignedAt), (open.GetProperty("assignmentId").GetGuid(), open.GetProperty("assignedAt").GetDateTimeOffset()));
        Assert.True(service.Clock.GetUtcNow() < first.AssignedAt.AddDays(90), $"the clock moved from {t}");
    }

    private async Task<List<JsonElement>> WaitForLoanEpisodesAsync(string loanId, int count)
    {
        var deadline = DateTime.UtcNow + PerformanceService.Wait;
        while (true)
        {
            var episodes = (await service.Http.GetFromJsonAsync<JsonElement>($"/api/performance/episodes?loanId={loanId}")).EnumerateArray().ToList();
            if (episodes.Count >= count)
                return episodes;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{episodes.Count} of {count} episodes of {loanId} within {PerformanceService.Wait.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
