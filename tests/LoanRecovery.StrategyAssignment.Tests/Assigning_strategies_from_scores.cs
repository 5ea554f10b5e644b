using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Testing;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Assigning_strategies_from_scores(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task Scores_of_0_9_0_6_and_0_3_give_legal_action_settlement_and_reminder_with_tasks()
    {
        var legal = await service.AssignAsync(StrategyHost.Score("A-L1", "A-B1", 0.9));
        var settlement = await service.AssignAsync(StrategyHost.Score("A-L2", "A-B2", 0.6));
        var reminder = await service.AssignAsync(StrategyHost.Score("A-L3", "A-B3", 0.3));

        Assert.Equal("LegalAction", legal.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("Settlement", settlement.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("Reminder", reminder.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        foreach (var assigned in new[] { legal, settlement, reminder })
        {
            Assert.Equal("Champion", assigned.GetProperty("arm").EnumName<LoanRecovery.Contracts.PolicyArm>());
            Assert.False(assigned.GetProperty("ruleBased").GetBoolean());
            Assert.Equal("policy-1", assigned.GetProperty("policyVersion").GetString());
            Assert.Equal("risk-test-1", assigned.GetProperty("modelVersion").GetString());
            Assert.NotEmpty(assigned.GetProperty("reasons").EnumerateArray());
        }
        // Priority is the expected recovery at stake: balance × (1 − probability).
        Assert.Equal(5_000m, StrategyHost.Money(legal.GetProperty("priority")));
        Assert.Equal(35_000m, StrategyHost.Money(reminder.GetProperty("priority")));

        var legalTasks = await service.TasksAsync("loanId=A-L1");
        Assert.Equal(["LegalReferral", "Letter"], legalTasks.Select(t => t.GetProperty("kind").GetString()!).Order().ToArray());
        Assert.All(legalTasks, t =>
        {
            Assert.Equal("Open", t.GetProperty("status").GetString());
            Assert.Equal(5_000m, t.GetProperty("priority").GetDecimal());
            Assert.True(t.GetProperty("dueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(12));
        });
        var settlementTasks = await service.TasksAsync("loanId=A-L2");
        Assert.Equal(["Call", "SettlementOffer"], settlementTasks.Select(t => t.GetProperty("kind").GetString()!).Order().ToArray());
        Assert.Equal(["Reminder"], (await service.TasksAsync("loanId=A-L3")).Select(t => t.GetProperty("kind").GetString()!).ToArray());
    }

    [Fact]
    public async Task The_settlement_plan_never_asks_more_than_the_configured_share_of_income()
    {
        await service.AssignAsync(StrategyHost.Score("A-PLAN", "A-PLAN-B", 0.7, balance: 40_000, income: 1_000, emi: 900));

        var strategy = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/A-PLAN/strategy");
        var plan = strategy.GetProperty("plan");
        Assert.True(plan.GetProperty("instalment").GetDecimal() <= 300m, plan.ToString());
        Assert.True(plan.GetProperty("lastInstalment").GetDecimal() <= 300m, plan.ToString());
        Assert.InRange(plan.GetProperty("discount").GetDecimal(), 0m, 0.25m);
    }

    [Fact]
    public async Task A_score_from_a_model_that_failed_its_quality_gate_falls_back_to_rules_and_says_so()
    {
        var legal = await service.AssignAsync(StrategyHost.Score("A-R1", "A-RB1", 0.1, usable: false, daysPastDue: 120, missedPayments: 4));
        var reminder = await service.AssignAsync(StrategyHost.Score("A-R2", "A-RB2", 0.95, usable: false, daysPastDue: 10, missedPayments: 0));

        Assert.Equal("LegalAction", legal.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.True(legal.GetProperty("ruleBased").GetBoolean());
        Assert.Contains("Rule-based", legal.GetProperty("reasons")[0].GetString());
        Assert.Equal("Reminder", reminder.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.True(reminder.GetProperty("ruleBased").GetBoolean());
    }

    [Fact]
    public async Task The_same_score_delivered_twice_creates_one_strategy_and_one_set_of_tasks()
    {
        var score = StrategyHost.Score("A-DUP", "A-DUP-B", 0.6);
        var messageId = Guid.NewGuid();
        await Task.WhenAll(service.Bus.PublishAsync(score, messageId), service.Bus.PublishAsync(score, messageId));
        await service.Bus.PublishAsync(score, Guid.NewGuid()); // the same score re-published under another message id

        await service.AssignedFor("A-DUP");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(await service.AssignedFor("A-DUP"));
        Assert.Equal(2, (await service.TasksAsync("loanId=A-DUP")).Count);
        Assert.Equal(1, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.assignment WHERE loan_id = 'A-DUP'"));
    }

    [Fact]
    public async Task Re_scoring_changes_the_strategy_only_when_the_band_changes_and_never_leaves_two_active()
    {
        await service.AssignAsync(StrategyHost.Score("A-RE", "A-RE-B", 0.55));
        await service.Bus.PublishAsync(StrategyHost.Score("A-RE", "A-RE-B", 0.65), Guid.NewGuid()); // still medium
        await service.WaitForDecisionsAsync("A-RE", 3);
        var changed = await service.AssignAsync(StrategyHost.Score("A-RE", "A-RE-B", 0.85));

        Assert.Equal("LegalAction", changed.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal(2, (await service.AssignedFor("A-RE", 2)).Count);
        Assert.Equal(1, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.assignment WHERE loan_id = 'A-RE' AND active"));
        var tasks = await service.TasksAsync("loanId=A-RE");
        Assert.All(tasks.Where(t => t.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>() == "Settlement"), t => Assert.Equal("Cancelled", t.GetProperty("status").GetString()));
        Assert.Equal(2, tasks.Count(t => t.GetProperty("status").GetString() == "Open"));

        var decisions = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/A-RE/decisions");
        Assert.Equal(["Score", "Strategy", "Score", "Score", "Strategy"], decisions.EnumerateArray().Select(d => d.GetProperty("type").GetString()!).ToArray());
        Assert.Contains("Unchanged", decisions[2].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_loan_reaching_the_late_stage_is_decided_again_in_the_same_band()
    {
        var early = await service.AssignAsync(StrategyHost.Score("A-STAGE", "A-STAGE-B", 0.9, daysPastDue: 30));
        Assert.Equal("Settlement", early.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("Early", early.GetProperty("stage").EnumName<LoanRecovery.Contracts.DelinquencyStage>());

        var late = await service.AssignAsync(StrategyHost.Score("A-STAGE", "A-STAGE-B", 0.9, daysPastDue: 60));
        Assert.Equal("LegalAction", late.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("Late", late.GetProperty("stage").EnumName<LoanRecovery.Contracts.DelinquencyStage>());

        // Later in the same stage and band nothing changes.
        await service.Bus.PublishAsync(StrategyHost.Score("A-STAGE", "A-STAGE-B", 0.9, daysPastDue: 90), Guid.NewGuid());
        await service.WaitForDecisionsAsync("A-STAGE", 5);
        Assert.Equal(2, (await service.AssignedFor("A-STAGE", 2)).Count);
        Assert.Equal("Early,Late",
            await service.Database.ScalarAsync<string>("SELECT string_agg(stage, ',' ORDER BY assigned_at) FROM strategy.assignment WHERE loan_id = 'A-STAGE'"));
        var ended = await service.Database.ScalarAsync<string>("SELECT ended_reason FROM strategy.assignment WHERE loan_id = 'A-STAGE' AND NOT active");
        Assert.Equal("Reached the Late delinquency stage at 60 days past due (was Early)", ended);
        var active = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/A-STAGE/strategy");
        Assert.Equal(("LegalAction", "Late"), (active.GetProperty("strategy").GetString(), active.GetProperty("stage").GetString()));
    }

    [Fact]
    public async Task An_invalid_score_is_parked_in_the_error_queue_with_the_reason()
    {
        await service.Bus.PublishAsync(StrategyHost.Score("", "A-BAD-B", 1.5), Guid.NewGuid());

        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        RabbitMQ.Client.BasicGetResult? parked = null;
        while (parked is null && DateTime.UtcNow < deadline)
        {
            parked = await service.Probe.GetAsync("strategy-assignment-risk-scored_error");
            if (parked is null)
                await Task.Delay(200);
        }
        Assert.NotNull(parked);
        var reason = System.Text.Encoding.UTF8.GetString((byte[])parked.BasicProperties.Headers!["MT-Fault-Message"]!);
        Assert.Contains("LoanId is required", reason);
        Assert.Contains("Probability must be between 0 and 1", reason);
    }

    [Fact]
    public async Task A_score_older_than_one_already_received_decides_nothing()
    {
        var older = StrategyHost.Score("A-OLD", "A-OLD-B", 0.9) with { ScoredAt = DateTimeOffset.UtcNow.AddMinutes(-5) };
        await service.AssignAsync(StrategyHost.Score("A-OLD", "A-OLD-B", 0.3));

        await service.Bus.PublishAsync(older, Guid.NewGuid());
        await service.WaitForDecisionsAsync("A-OLD", 3);

        Assert.Single(await service.AssignedFor("A-OLD"));
        var decisions = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/A-OLD/decisions");
        Assert.Contains("Stale", decisions.EnumerateArray().Last().GetProperty("summary").GetString());
    }
}
