using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Tests;

public sealed class Tracking_recovery_episodes_on_the_clock(PerformanceService service) : IClassFixture<PerformanceService>
{
    [Fact]
    public async Task Paid_in_full_partial_and_no_payment_histories_close_with_the_right_class_and_amount_when_the_clock_says_so()
    {
        var outcomes = await service.Probe.ListenAsync("LoanRecovery.Contracts.RecoveryOutcomeRecorded");
        var t = service.Clock.GetUtcNow();
        await service.OpenAsync("EP-FULL", 1000m, RecoveryStrategy.Settlement, PolicyArm.Champion, daysPastDue: 30);
        var partial = await service.OpenAsync("EP-PART", 2000m, RecoveryStrategy.Reminder, PolicyArm.Exploration, daysPastDue: 45);
        await service.OpenAsync("EP-NONE", 1500m, RecoveryStrategy.LegalAction, PolicyArm.Champion, daysPastDue: 60);
        await service.Bus.PublishAsync(new CollectionTaskCompleted(Guid.NewGuid(), partial.AssignmentId, "EP-PART", "Call", "NoAnswer", null, "officer-1", t.AddDays(1)));
        await service.Bus.PublishAsync(new CollectionTaskCompleted(Guid.NewGuid(), partial.AssignmentId, "EP-PART", "Letter", "Sent", null, "officer-1", t.AddDays(2)));
        // Part of the balance paid, still in arrears (a payment with days past due carries arrears): partially recovered.
        await service.Bus.PublishAsync(PerformanceService.Payment("EP-PART-P1", "EP-PART", 500m, 1500m, 30, t.AddDays(10)));
        await service.WaitForEpisodesAsync(3, open: true);

        await service.Bus.PublishAsync(PerformanceService.Payment("EP-FULL-P1", "EP-FULL", 1000m, 0m, 0, t.AddDays(5)));

        var full = (await outcomes.WaitForAsync(1, PerformanceService.Wait))[0];
        Assert.Single(await outcomes.SettleAsync(TimeSpan.FromSeconds(1))); // the others wait for their window
        Assert.Equal("EP-FULL", full.GetProperty("loanId").GetString());
        Assert.Equal(RecoveryStatus.FullyRecovered, PerformanceService.Enum<RecoveryStatus>(full.GetProperty("status")));
        Assert.Equal(1000m, PerformanceService.Decimal(full.GetProperty("amountRecovered")));
        Assert.Equal(5, full.GetProperty("daysToRecover").GetInt32());
        Assert.False(full.GetProperty("historical").GetBoolean());
        Assert.Equal(RecoveryStrategy.Settlement, PerformanceService.Enum<RecoveryStrategy>(full.GetProperty("strategy")));
        Assert.Equal(PolicyArm.Champion, PerformanceService.Enum<PolicyArm>(full.GetProperty("arm")));
        Assert.Equal("policy-1", full.GetProperty("policyVersion").GetString());
        Assert.Equal("risk-1", full.GetProperty("modelVersion").GetString());
        Assert.Equal(30, full.GetProperty("features").GetProperty("days_past_due").GetDouble());

        service.Clock.Advance(TimeSpan.FromDays(90));

        var all = await outcomes.WaitForAsync(3, PerformanceService.Wait);
        var part = all.Single(o => o.GetProperty("loanId").GetString() == "EP-PART");
        Assert.Equal(RecoveryStatus.PartiallyRecovered, PerformanceService.Enum<RecoveryStatus>(part.GetProperty("status")));
        Assert.Equal(500m, PerformanceService.Decimal(part.GetProperty("amountRecovered")));
        Assert.Equal(6.5m, PerformanceService.Decimal(part.GetProperty("contactCost")));
        Assert.Equal(2, part.GetProperty("collectionAttempts").GetInt32());
        Assert.Equal(90, part.GetProperty("daysToRecover").GetInt32());
        Assert.Equal(PolicyArm.Exploration, PerformanceService.Enum<PolicyArm>(part.GetProperty("arm")));
        Assert.Equal(45, part.GetProperty("features").GetProperty("days_past_due").GetDouble());
        var none = all.Single(o => o.GetProperty("loanId").GetString() == "EP-NONE");
        Assert.Equal(RecoveryStatus.WrittenOff, PerformanceService.Enum<RecoveryStatus>(none.GetProperty("status")));
        Assert.Equal(0m, PerformanceService.Decimal(none.GetProperty("amountRecovered")));
        Assert.True(none.GetProperty("legalActionTaken").GetBoolean());

        // The figures come from the same rows.
        var byStrategy = await service.Http.GetFromJsonAsync<JsonElement>("/api/performance/recovery?by=strategy");
        var groups = byStrategy.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("key").GetString() is "Settlement" or "Reminder" or "LegalAction").ToList();
        Assert.Equal(1000m, groups.Single(g => g.GetProperty("key").GetString() == "Settlement").GetProperty("amountRecovered").GetDecimal());
        Assert.Equal(493.5m, groups.Single(g => g.GetProperty("key").GetString() == "Reminder").GetProperty("netRecoveryPerLoan").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/api/performance/recovery?by=month")).StatusCode);
        var wrong = await service.Http.GetAsync("/api/performance/recovery?by=colour");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("'colour' is not one of strategy, segment, band, model, arm, month, policy, stage", await wrong.Content.ReadAsStringAsync());
        var rolls = await service.Http.GetFromJsonAsync<JsonElement>("/api/performance/roll-rates");
        Assert.True(rolls.EnumerateArray().Single(r => r.GetProperty("from").GetString() == "1-30").GetProperty("transitions").GetInt32() >= 1);
    }

    [Fact]
    public async Task Drift_flags_a_score_distribution_that_moved_in_the_api_and_the_gauges()
    {
        service.Clock.Advance(TimeSpan.FromDays(1)); // the latest score is this test's whatever ran before
        var now = service.Clock.GetUtcNow();
        var random = new Random(5);
        for (int i = 0; i < 20; i++)
            await service.Bus.PublishAsync(Scored($"DR-REF-{i}", 0.1 + random.NextDouble() * 0.3, 10 + random.Next(30), now.AddDays(-20).AddMinutes(i)));
        for (int i = 0; i < 20; i++)
            await service.Bus.PublishAsync(Scored($"DR-NOW-{i}", 0.6 + random.NextDouble() * 0.3, 100 + random.Next(30), now.AddDays(-1).AddMinutes(i)));

        var deadline = DateTime.UtcNow + PerformanceService.Wait;
        JsonElement drift;
        do
        {
            await Task.Delay(200);
            drift = await service.Http.GetFromJsonAsync<JsonElement>("/api/performance/drift");
        } while (!(drift.GetProperty("computed").GetBoolean() && drift.GetProperty("modelVersion").GetString() == "risk-drift" &&
                   drift.GetProperty("currentLoans").GetInt32() >= 20) && DateTime.UtcNow < deadline);

        Assert.Equal(20, drift.GetProperty("referenceLoans").GetInt32());
        Assert.True(drift.GetProperty("anyFlagged").GetBoolean());
        var score = drift.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("variable").GetString() == "score");
        Assert.True(score.GetProperty("psi").GetDouble() > 0.2);
        Assert.True(score.GetProperty("flagged").GetBoolean());

        var psi = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "LoanRecovery.PerformanceTracking") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "variable" && instrument.Name == "loanrecovery.performance.drift.psi")
                    psi[(string)tag.Value!] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.True(psi["score"] > 0.2);
        Assert.True(psi.ContainsKey("days_past_due"));
    }

    private static RiskScored Scored(string loanId, double probability, int daysPastDue, DateTimeOffset at) =>
        new(Guid.NewGuid(), loanId, "B-" + loanId, null, probability, probability > 0.75 ? RiskBand.High : probability >= 0.5 ? RiskBand.Medium : RiskBand.Low, [], 1,
            "Stretched", "risk-drift", true, new Dictionary<string, double?> { ["days_past_due"] = daysPastDue, ["monthly_income"] = 30000 }, at, 0, 0,
            new Dictionary<string, double>());
}
