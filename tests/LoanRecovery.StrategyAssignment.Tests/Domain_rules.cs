using LoanRecovery.Contracts;
using LoanRecovery.StrategyAssignment.Domain;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class The_policy
{
    private static readonly FallbackRules Rules = new(90, 3, 30, 1);
    private static readonly PolicyDocument Default = new(PolicyKind.Thresholds, 0.75, 0.50, Rules, null);

    private static ScoreFacts Facts(double p, bool usable = true, int dpd = 90, int missed = 3, string? segment = null) =>
        new(p, usable, dpd, missed, 10_000m, 3_000m, 500m, segment);

    [Theory]
    [InlineData(0.90, RecoveryStrategy.LegalAction)]
    [InlineData(0.7501, RecoveryStrategy.LegalAction)]
    [InlineData(0.75, RecoveryStrategy.Settlement)]
    [InlineData(0.60, RecoveryStrategy.Settlement)]
    [InlineData(0.50, RecoveryStrategy.Settlement)]
    [InlineData(0.4999, RecoveryStrategy.Reminder)]
    [InlineData(0.30, RecoveryStrategy.Reminder)]
    public void Maps_probability_thresholds_to_strategies(double probability, RecoveryStrategy expected)
    {
        var decision = PolicyEngine.Decide(Default, Facts(probability));
        Assert.Equal(expected, decision.Strategy);
        Assert.False(decision.RuleBased);
    }

    [Theory]
    [InlineData(90, 0, RecoveryStrategy.LegalAction)]
    [InlineData(10, 3, RecoveryStrategy.LegalAction)]
    [InlineData(30, 0, RecoveryStrategy.Settlement)]
    [InlineData(0, 1, RecoveryStrategy.Settlement)]
    [InlineData(29, 0, RecoveryStrategy.Reminder)]
    public void Falls_back_to_rules_on_days_past_due_and_missed_payments_when_the_model_is_not_usable(int dpd, int missed, RecoveryStrategy expected)
    {
        var decision = PolicyEngine.Decide(Default, Facts(0.99, usable: false, dpd: dpd, missed: missed));
        Assert.Equal(expected, decision.Strategy);
        Assert.True(decision.RuleBased);
    }

    [Fact]
    public void A_table_prefers_the_exact_segment_then_the_wildcard_then_the_thresholds()
    {
        var table = new PolicyDocument(PolicyKind.Table, 0.75, 0.5, Rules,
        [
            new(RiskBand.High, "Struggling", RecoveryStrategy.Settlement),
            new(RiskBand.Medium, "*", RecoveryStrategy.Reminder),
        ]);
        Assert.Equal(RecoveryStrategy.Settlement, PolicyEngine.Decide(table, Facts(0.9, segment: "Struggling")).Strategy);
        Assert.Equal(RecoveryStrategy.LegalAction, PolicyEngine.Decide(table, Facts(0.9, segment: "Stable")).Strategy);
        Assert.Equal(RecoveryStrategy.Reminder, PolicyEngine.Decide(table, Facts(0.6, segment: "Stable")).Strategy);
    }

    [Fact]
    public void Rejects_inverted_thresholds_and_empty_tables()
    {
        Assert.Contains("settlementFrom", new PolicyDocument(PolicyKind.Thresholds, 0.4, 0.6, Rules, null).Validate().Keys);
        Assert.Contains("table", new PolicyDocument(PolicyKind.Table, 0.75, 0.5, Rules, []).Validate().Keys);
        Assert.Empty(Default.Validate());
    }

    [Fact]
    public void A_table_row_of_the_loans_stage_comes_before_a_row_for_every_stage()
    {
        var table = new PolicyDocument(PolicyKind.Table, 0.75, 0.5, Rules,
        [
            new(RiskBand.Medium, "Stable", RecoveryStrategy.Reminder),
            new(RiskBand.Medium, "Stable", RecoveryStrategy.LegalAction, DelinquencyStage.Late),
            new(RiskBand.Low, "*", RecoveryStrategy.Settlement, DelinquencyStage.Early),
        ]);
        Assert.Empty(table.Validate());
        Assert.Equal(RecoveryStrategy.LegalAction, PolicyEngine.Decide(table, Facts(0.6, segment: "Stable") with { Stage = DelinquencyStage.Late }).Strategy);
        Assert.Equal(RecoveryStrategy.Reminder, PolicyEngine.Decide(table, Facts(0.6, segment: "Stable") with { Stage = DelinquencyStage.Early }).Strategy);
        Assert.Contains("Late stage", PolicyEngine.Decide(table, Facts(0.6, segment: "Stable") with { Stage = DelinquencyStage.Late }).Reasons[0]);
        // The early-stage wildcard row does not apply in the late stage: the thresholds decide.
        Assert.Equal(RecoveryStrategy.Settlement, PolicyEngine.Decide(table, Facts(0.3, segment: "Stable") with { Stage = DelinquencyStage.Early }).Strategy);
        Assert.Equal(RecoveryStrategy.Reminder, PolicyEngine.Decide(table, Facts(0.3, segment: "Stable") with { Stage = DelinquencyStage.Late }).Strategy);
    }

    [Fact]
    public void A_table_may_hold_a_cell_once_per_stage()
    {
        var twice = new PolicyDocument(PolicyKind.Table, 0.75, 0.5, Rules,
            [new(RiskBand.High, "*", RecoveryStrategy.Settlement, DelinquencyStage.Late), new(RiskBand.High, null, RecoveryStrategy.Reminder, DelinquencyStage.Late)]);
        Assert.Contains("table", twice.Validate().Keys);
    }

    [Fact]
    public void Draws_the_experiment_share_of_loans_and_the_share_that_keeps_exploring()
    {
        var arms = new ArmSelector(0.10, 0.5, new Random(3));
        var draws = Enumerable.Range(0, 10_000).Select(_ => arms.Draw()).ToList();
        Assert.InRange(draws.Count(d => d.InExperiment), 900, 1100);
        Assert.InRange(draws.Count(d => d.KeepsExploring), 400, 600);
        Assert.DoesNotContain(draws, d => d.KeepsExploring && !d.InExperiment);

        Assert.Equal(PolicyArm.Exploration, ArmSelector.ArmOf(new ArmDraw(true, false), hasChallenger: false));
        Assert.Equal(PolicyArm.Challenger, ArmSelector.ArmOf(new ArmDraw(true, false), hasChallenger: true));
        Assert.Equal(PolicyArm.Exploration, ArmSelector.ArmOf(new ArmDraw(true, true), hasChallenger: true));
        Assert.Equal(PolicyArm.Champion, ArmSelector.ArmOf(new ArmDraw(false, false), hasChallenger: true));
    }
}

public sealed class The_compliance_guard
{
    [Theory]
    [InlineData(0, DelinquencyStage.Early)]
    [InlineData(59, DelinquencyStage.Early)]
    [InlineData(60, DelinquencyStage.Late)]
    [InlineData(400, DelinquencyStage.Late)]
    public void The_late_stage_starts_where_legal_action_may_be_taken(int daysPastDue, DelinquencyStage expected) =>
        Assert.Equal(expected, Guard.StageOf(daysPastDue));

    private static readonly ComplianceGuard Guard = new(new ComplianceRules(7, TimeSpan.FromDays(7), TimeSpan.FromHours(8), TimeSpan.FromHours(20), 60, 1000m));
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly ComplianceFlags Clear = new(TimeZoneInfo.Utc, false, false, false);
    private static readonly ScoreFacts Facts = new(0.9, true, 90, 3, 10_000m, 3_000m, 500m, null);
    private static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlannedTask Call = new(TaskKind.Call, "call", TimeSpan.FromDays(1));

    [Fact]
    public void Allows_the_7th_contact_in_the_window_and_replaces_the_8th_with_an_account_review()
    {
        var seventh = Guard.GuardTasks([Call], Clear, 6, Noon).Single();
        var eighth = Guard.GuardTasks([Call], Clear, 7, Noon).Single();

        Assert.Equal(TaskKind.Call, seventh.Kind);
        Assert.Null(seventh.ComplianceReason);
        Assert.Equal(TaskKind.AccountReview, eighth.Kind);
        Assert.False(eighth.IsContact);
        Assert.Contains("limit 7", eighth.ComplianceReason);
    }

    [Fact]
    public void Counts_contacts_within_one_assignment_too()
    {
        var tasks = Guard.GuardTasks([Call, Call with { Kind = TaskKind.Letter }], Clear, 6, Noon);
        Assert.Equal([TaskKind.Call, TaskKind.AccountReview], tasks.Select(t => t.Kind));
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void A_no_contact_flag_replaces_every_contact_task_and_keeps_internal_ones(bool cease, bool dispute, bool bankruptcy)
    {
        var flags = new ComplianceFlags(TimeZoneInfo.Utc, cease, dispute, bankruptcy);
        var planned = TaskPlanner.Plan(RecoveryStrategy.LegalAction, null, Enum.GetValues<TaskKind>().ToDictionary(k => k, _ => TimeSpan.FromDays(1)));

        var tasks = Guard.GuardTasks(planned, flags, 0, Noon);

        Assert.All(tasks, t => Assert.False(t.IsContact));
        Assert.Contains(tasks, t => t.Kind == TaskKind.LegalReferral);
        Assert.Equal(RecoveryStrategy.Reminder, Guard.Guard(RecoveryStrategy.Settlement, Facts, flags).Strategy);
    }

    [Fact]
    public void Legal_action_needs_the_configured_days_past_due_and_balance_and_no_dispute_or_bankruptcy()
    {
        Assert.Equal(RecoveryStrategy.LegalAction, Guard.Guard(RecoveryStrategy.LegalAction, Facts, Clear).Strategy);
        var young = Guard.Guard(RecoveryStrategy.LegalAction, Facts with { DaysPastDue = 59 }, Clear);
        Assert.Equal(RecoveryStrategy.Settlement, young.Strategy);
        Assert.Contains("below 60 days past due", young.Reasons.Single());
        Assert.Equal(RecoveryStrategy.Settlement, Guard.Guard(RecoveryStrategy.LegalAction, Facts with { OutstandingBalance = 999m }, Clear).Strategy);
        var bankrupt = Guard.Guard(RecoveryStrategy.LegalAction, Facts, Clear with { Bankruptcy = true });
        Assert.Equal(RecoveryStrategy.Reminder, bankrupt.Strategy);
        Assert.Equal(2, bankrupt.Reasons.Count);
    }

    [Fact]
    public void Contact_outside_hours_in_the_borrowers_time_zone_waits_for_the_next_opening()
    {
        // 12:00 UTC on 2 March 2026 is 07:00 in New York (EST): one hour before contact hours open.
        var task = Guard.GuardTasks([Call with { DueIn = TimeSpan.Zero }], Clear with { TimeZone = NewYork }, 0, Noon).Single();

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 13, 0, 0, TimeSpan.Zero), task.NotBefore);
        Assert.Equal(task.NotBefore, task.DueAt);
        Assert.Contains("America/New_York", task.ComplianceReason);
        Assert.True(Guard.WithinContactHours(task.NotBefore, NewYork));

        // 21:00 local is after hours: the next opening is 08:00 the next day.
        var evening = new DateTimeOffset(2026, 3, 3, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 13, 0, 0, TimeSpan.Zero), Guard.NextContactTime(evening, NewYork));
        Assert.Equal(Noon, Guard.NextContactTime(Noon, TimeZoneInfo.Utc));
    }
}

public sealed class The_repayment_plan
{
    private static readonly SettlementTerms Terms = new(0.30m, 0.05m, 0.25m, 36);

    [Fact]
    public void Never_asks_an_instalment_above_the_configured_share_of_income()
    {
        var random = new Random(11);
        for (var i = 0; i < 5_000; i++)
        {
            var outstanding = Math.Round((decimal)random.NextDouble() * 200_000m, 2);
            var income = Math.Round((decimal)random.NextDouble() * 15_000m + 1m, 2);
            var plan = RepaymentPlanner.Plan(outstanding, income, random.NextDouble(), Terms);

            Assert.True(plan.Instalment <= income * 0.30m, $"{plan} for income {income}");
            Assert.True(plan.LastInstalment <= plan.Instalment, plan.ToString());
            Assert.InRange(plan.Discount, Terms.MinDiscount, Terms.MaxDiscount);
            Assert.InRange(plan.Months, 1, Terms.MaxPlanMonths);
            if (plan.CoversSettlement)
                Assert.Equal(plan.SettlementAmount, plan.Instalment * (plan.Months - 1) + plan.LastInstalment);
        }
    }

    [Fact]
    public void Gives_a_larger_discount_to_riskier_loans_within_the_limits()
    {
        var low = RepaymentPlanner.Plan(10_000m, 5_000m, 0, Terms);
        var high = RepaymentPlanner.Plan(10_000m, 5_000m, 1, Terms);
        Assert.Equal(0.05m, low.Discount);
        Assert.Equal(0.25m, high.Discount);
        Assert.Equal(9_500m, low.SettlementAmount);
        Assert.Equal(7, low.Months); // 9,500 at most 1,500 a month
    }

    [Fact]
    public void Raises_the_discount_before_giving_up_and_flags_a_plan_that_cannot_cover_the_settlement()
    {
        var stretched = RepaymentPlanner.Plan(10_000m, 1_000m, 0, Terms); // 300 × 36 = 10,800 ≥ 9,500: fits without more discount
        Assert.True(stretched.CoversSettlement);
        var needsDiscount = RepaymentPlanner.Plan(12_000m, 1_000m, 0, Terms); // 11,400 > 10,800: discount rises to 10%
        Assert.True(needsDiscount.CoversSettlement);
        Assert.Equal(0.10m, needsDiscount.Discount);
        var impossible = RepaymentPlanner.Plan(100_000m, 1_000m, 0, Terms);
        Assert.False(impossible.CoversSettlement);
        Assert.Equal(300m, impossible.Instalment);
        Assert.Equal(0.25m, impossible.Discount);
    }

    [Fact]
    public void Without_a_known_income_offers_a_single_payment()
    {
        var plan = RepaymentPlanner.Plan(10_000m, null, 0.5, Terms);
        Assert.Equal(0, plan.Months);
        Assert.Contains("one payment", plan.Summary);
    }
}

public sealed class Checking_promises_to_pay
{
    private static readonly DateOnly Made = new(2026, 3, 1), Promised = new(2026, 3, 5);

    [Fact]
    public void A_promise_paid_in_full_by_the_date_is_kept()
    {
        Assert.Equal(PromiseState.Kept, PromiseCheck.Evaluate(Made, Promised, 500m, [(new DateOnly(2026, 3, 2), 200m), (Promised, 300m)], Promised, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_promise_is_pending_until_the_grace_period_ends_and_then_broken()
    {
        var partly = new[] { (new DateOnly(2026, 3, 2), 200m) };
        Assert.Equal(PromiseState.Pending, PromiseCheck.Evaluate(Made, Promised, 500m, partly, new DateOnly(2026, 3, 6), TimeSpan.FromDays(1)));
        Assert.Equal(PromiseState.Broken, PromiseCheck.Evaluate(Made, Promised, 500m, partly, new DateOnly(2026, 3, 7), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Payments_before_the_promise_do_not_count()
    {
        Assert.Equal(PromiseState.Broken,
            PromiseCheck.Evaluate(Made, Promised, 500m, [(new DateOnly(2026, 2, 20), 500m)], new DateOnly(2026, 3, 10), TimeSpan.Zero));
    }
}
