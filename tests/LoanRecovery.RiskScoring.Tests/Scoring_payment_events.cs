using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;

namespace LoanRecovery.RiskScoring.Tests;

/// <summary>RiskScoring on a real database and broker, cold-started from outcomes that carry a known rule.</summary>
public sealed class RiskScoringFixture : IAsyncLifetime
{
    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceHost<RiskScoringOptions> Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public RabbitProbe Probe { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;
    public IReadOnlyList<GeneratedPortfolio.GeneratedLoan> Loans { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        Host = new ServiceHost<RiskScoringOptions>(Database, VirtualHost, "risk", new Dictionary<string, string?>
        {
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:00.500",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.200",
            // A payment for a loan never opened is parked after these waits (short here; a minute and more in production).
            ["RiskScoring:UnknownLoanRetryIntervals:0"] = "00:00:00.050",
            ["RiskScoring:UnknownLoanRetryIntervals:1"] = "00:00:00.050",
            ["RiskScoring:UnknownLoanRetryIntervals:2"] = "00:00:00.050",
            ["RiskScoring:UnknownLoanRetryIntervals:3"] = "00:00:00.050",
        });
        Http = Host.Start();
        Probe = await RabbitProbe.ConnectAsync(VirtualHost.Name);
        Bus = await TestBus.StartAsync(VirtualHost);

        Loans = GeneratedPortfolio.Create(1200, seed: 21, prefix: "RS");
        foreach (var loan in Loans)
            await Bus.PublishAsync(loan.Opened);
        foreach (var loan in Loans)
            await Bus.PublishAsync(GeneratedPortfolio.Outcome(loan));
        await WaitForChampionAsync();
    }

    private async Task WaitForChampionAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var models = await Http.GetFromJsonAsync<JsonElement>("/api/models");
            if (models.EnumerateArray().Any(m => m.GetProperty("isChampion").GetBoolean()))
                return;
            await Task.Delay(250);
        }
        throw new TimeoutException("No champion model within 90 s of publishing the outcomes");
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Probe.DisposeAsync();
        Http.Dispose();
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class Scoring_payment_events(RiskScoringFixture service) : IClassFixture<RiskScoringFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static PaymentRecorded Missed(LoanOpened loan, string paymentId, int daysPastDue, int missed) =>
        new(paymentId, loan.LoanId, loan.BorrowerId, new DateOnly(2026, 10, 1), loan.MonthlyEmi, 0m, null, daysPastDue, missed,
            loan.MonthlyEmi * missed, loan.OutstandingLoanAmount, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_cold_start_model_trained_on_outcomes_with_signal_is_champion_and_usable()
    {
        var models = await service.Http.GetFromJsonAsync<JsonElement>("/api/models");
        var champion = models.EnumerateArray().Single(m => m.GetProperty("isChampion").GetBoolean());

        Assert.True(champion.GetProperty("usable").GetBoolean(), champion.GetProperty("statement").GetString());
        Assert.StartsWith("Usable: holdout AUC", champion.GetProperty("statement").GetString());
        var detail = await service.Http.GetFromJsonAsync<JsonElement>($"/api/models/{champion.GetProperty("version").GetString()}");
        Assert.Equal(1200, detail.GetProperty("summary").GetProperty("trainingRows").GetInt32());
        Assert.True(detail.GetProperty("globalImportance").GetProperty("days_past_due").GetDouble() > 0);
        Assert.True(detail.GetProperty("calibration").GetProperty("bins").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_delinquent_payment_is_scored_once_with_reasons_that_add_up_and_the_model_version()
    {
        var loan = service.Loans[0].Opened;
        var scored = await service.Probe.ListenAsync("LoanRecovery.Contracts.RiskScored");
        var payment = Missed(loan, "RS-P1", daysPastDue: 60, missed: 2);

        await service.Bus.PublishAsync(payment, Guid.NewGuid());
        await service.Bus.PublishAsync(payment, Guid.NewGuid()); // same payment, another delivery

        var message = (await scored.WaitForAsync(1, Wait))[0];
        Assert.Single(await scored.SettleAsync(TimeSpan.FromSeconds(2)));
        var version = message.GetProperty("modelVersion").GetString();
        Assert.StartsWith("risk-", version);
        Assert.True(message.GetProperty("modelUsable").GetBoolean());
        var expected = message.GetProperty("expectedValue").GetDouble();
        var raw = message.GetProperty("rawScore").GetDouble();
        var sum = message.GetProperty("contributions").EnumerateObject().Sum(c => c.Value.GetDouble());
        Assert.Equal(raw, expected + sum, 9);
        Assert.InRange(message.GetProperty("reasons").GetArrayLength(), 1, 4);
        Assert.Equal(60, message.GetProperty("features").GetProperty("days_past_due").GetDouble());

        var history = await service.Http.GetFromJsonAsync<JsonElement>($"/api/scores/{loan.LoanId}");
        Assert.Equal(1, history.GetArrayLength());
        Assert.Equal(version, history[0].GetProperty("modelVersion").GetString());
        var counts = await service.Http.GetFromJsonAsync<JsonElement>("/api/scores");
        Assert.Equal(await service.Database.ScalarAsync<int>("SELECT count(*) FROM risk.score"), counts.GetProperty("scores").GetInt32());
        Assert.Contains(counts.GetProperty("byModel").EnumerateArray(), m => m.GetProperty("modelVersion").GetString() == version);
    }

    [Fact]
    public async Task An_older_payment_consumed_late_does_not_roll_the_loan_back()
    {
        var loan = service.Loans[5].Opened;
        var scored = await service.Probe.ListenAsync("LoanRecovery.Contracts.RiskScored");
        var newer = Missed(loan, "RS-ORDER-2", daysPastDue: 60, missed: 2);
        var older = Missed(loan, "RS-ORDER-1", daysPastDue: 30, missed: 1) with { RecordedAt = newer.RecordedAt.AddHours(-1) };

        await service.Bus.PublishAsync(newer, Guid.NewGuid());
        await scored.WaitForAsync(1, Wait);
        await service.Bus.PublishAsync(older, Guid.NewGuid());

        var both = await scored.WaitForAsync(2, Wait);
        Assert.All(both, m => Assert.Equal(60, m.GetProperty("features").GetProperty("days_past_due").GetDouble()));
        Assert.Equal(60L, await service.Database.ScalarAsync<long>($"SELECT days_past_due FROM risk.loan_snapshot WHERE loan_id = '{loan.LoanId}'"));
    }

    [Fact]
    public async Task A_payment_that_leaves_the_loan_current_is_not_scored()
    {
        var loan = service.Loans.First(l => l.Opened.DaysPastDue == 0 && l.Opened.MissedPayments == 0).Opened;
        var scored = await service.Probe.ListenAsync("LoanRecovery.Contracts.RiskScored");

        await service.Bus.PublishAsync(new PaymentRecorded("RS-CURRENT", loan.LoanId, loan.BorrowerId, new DateOnly(2026, 10, 1), loan.MonthlyEmi,
            loan.MonthlyEmi, new DateOnly(2026, 10, 1), 0, 0, 0m, loan.OutstandingLoanAmount - loan.MonthlyEmi, DateTimeOffset.UtcNow));

        Assert.Empty(await scored.SettleAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_payment_for_an_unknown_loan_is_parked_with_the_reason()
    {
        await service.Bus.PublishAsync(new PaymentRecorded("RS-GHOST-1", "NO-SUCH-LOAN", "NOBODY", new DateOnly(2026, 10, 1), 100m, 0m, null, 30, 1,
            100m, 1000m, DateTimeOffset.UtcNow));

        var deadline = DateTime.UtcNow + Wait;
        RabbitMQ.Client.BasicGetResult? parked = null;
        while (parked is null && DateTime.UtcNow < deadline)
        {
            parked = await service.Probe.GetAsync("risk-scoring-payment-recorded_error");
            if (parked is null)
                await Task.Delay(200);
        }
        Assert.NotNull(parked);
        Assert.Contains("NO-SUCH-LOAN", Encoding.UTF8.GetString((byte[])parked.BasicProperties.Headers!["MT-Fault-Message"]!));
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task What_if_scoring_explains_the_entered_details_and_names_the_strategy_without_storing_anything()
    {
        var scoresBefore = await service.Database.ScalarAsync<long>("SELECT count(*) FROM risk.score");

        var response = await service.Http.PostAsJsonAsync("/api/scores/what-if", new
        {
            age = 35, employmentType = "Self-Employed", monthlyIncome = 30000m, numDependents = 2, loanAmount = 900000m, loanTenureMonths = 36,
            interestRate = 14m, loanType = "Personal", collateralValue = 0m, outstandingLoanAmount = 800000m, monthlyEmi = 30000m,
            paymentHistory = "Missed", missedPayments = 5, daysPastDue = 150,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("probability").GetDouble() > 0.5);
        Assert.Equal("LegalAction", body.GetProperty("strategy").GetProperty("strategy").GetString());
        Assert.InRange(body.GetProperty("reasons").GetArrayLength(), 1, 4);
        Assert.Equal(scoresBefore, await service.Database.ScalarAsync<long>("SELECT count(*) FROM risk.score"));
    }

    [Fact]
    public async Task What_if_with_invalid_details_names_each_field()
    {
        var response = await service.Http.PostAsJsonAsync("/api/scores/what-if", new { age = 9, loanType = "Yacht", monthlyIncome = -1m });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("between 18 and 120", errors.GetProperty("age")[0].GetString());
        Assert.Contains("'Yacht' is not one of", errors.GetProperty("loanType")[0].GetString());
        Assert.Equal("must not be negative", errors.GetProperty("monthlyIncome")[0].GetString());
        Assert.Equal("is required", errors.GetProperty("daysPastDue")[0].GetString());
    }
}
