using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Ml.Evaluation;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.Testing;

namespace LoanRecovery.RiskScoring.Tests;

public sealed class Promotion_decisions
{
    private static readonly QualityVerdict PassesOwnGate = new(true, "Usable: holdout AUC 0.80 (95% CI 0.75–0.85) is clear of chance", new AucResult(0.8, 0.0007, 0.75, 0.85, 0.95, 200, 300));
    /// <summary>The policy with the product's margin, a quick bootstrap and a fixed seed; a challenger that passes its own gate unless said.</summary>
    private static PromotionVerdict Decide(double[] challenger, double[] champion, int[] labels, QualityVerdict? own = null, bool championUsable = true) =>
        PromotionPolicy.Decide(challenger, own ?? PassesOwnGate, champion, championUsable, labels, margin: 0.01, resamples: 400, seed: 3);

    private static readonly QualityVerdict FailsOwnGate = new(false, "Not usable: holdout AUC 0.47 (95% CI 0.38–0.56) is not distinguishable from chance", new AucResult(0.47, 0.002, 0.38, 0.56, 0.95, 60, 170));

    private static (double[] Good, double[] Noise, int[] Labels) Holdout(int n, int seed)
    {
        var random = new Random(seed);
        var labels = new int[n];
        var good = new double[n];
        var noise = new double[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < 0.4 ? 1 : 0;
            good[i] = Math.Clamp(0.3 + 0.4 * labels[i] + 0.25 * (random.NextDouble() - 0.5), 0, 1);
            noise[i] = random.NextDouble();
        }
        return (good, noise, labels);
    }

    [Fact]
    public void A_challenger_that_ranks_clearly_better_replaces_a_usable_champion()
    {
        var (good, _, labels) = Holdout(600, 1);
        var weaker = good.Select((s, i) => i % 3 == 0 ? 1 - s : s).ToArray();

        var verdict = Decide(good, weaker, labels);

        Assert.True(verdict.Promote, verdict.Reason);
        Assert.True(verdict.DifferenceLow > 0);
        Assert.StartsWith("Promoted: the challenger's AUC is higher by", verdict.Reason);
    }

    [Fact]
    public void An_equally_good_challenger_is_not_promoted_because_the_interval_includes_zero()
    {
        var (good, _, labels) = Holdout(600, 2);

        var verdict = Decide(good, good.Select(s => s * 0.9).ToArray(), labels);

        Assert.False(verdict.Promote);
        Assert.Contains("includes zero", verdict.Reason);
    }

    [Fact]
    public void A_challenger_no_better_than_chance_is_not_promoted_and_the_reason_says_so()
    {
        var (good, noise, labels) = Holdout(600, 4);

        var verdict = Decide(noise, good, labels);

        Assert.False(verdict.Promote);
        Assert.StartsWith("Challenger not promoted: Not usable", verdict.Reason);
        Assert.Null(verdict.ChampionFails); // the champion still passes, so it is not reported
    }

    [Fact]
    public void A_champion_that_fails_on_recent_outcomes_is_reported_when_no_challenger_replaces_it()
    {
        var (_, noise, labels) = Holdout(600, 6);
        var random = new Random(7);
        var otherNoise = labels.Select(_ => random.NextDouble()).ToArray();

        var verdict = Decide(noise, otherNoise, labels);

        Assert.False(verdict.Promote);
        Assert.StartsWith("Not usable", verdict.ChampionFails);
    }

    [Fact]
    public void A_challenger_that_fails_its_own_gate_is_not_promoted_however_well_it_does_on_the_holdout()
    {
        // Its scores would be marked not usable: promoting it would put the strategies on the rules, not on the model.
        var (good, noise, labels) = Holdout(600, 10);

        var verdict = Decide(good, noise, labels, own: FailsOwnGate);

        Assert.False(verdict.Promote);
        Assert.StartsWith("Challenger not promoted: on its own training outcomes it fails its gate (Not usable", verdict.Reason);
        Assert.StartsWith("Not usable", verdict.ChampionFails); // both fail: the champion is withdrawn and the strategies follow the rules
    }

    [Fact]
    public void A_passing_challenger_replaces_a_champion_whose_scores_do_not_count_even_one_that_passes_on_the_holdout()
    {
        var (good, _, labels) = Holdout(600, 11);
        var aboutAsGood = good.Select(s => s * 0.9).ToArray();

        var verdict = Decide(good, aboutAsGood, labels, championUsable: false);

        Assert.True(verdict.Promote, verdict.Reason);
        Assert.StartsWith("Promoted: the champion's scores are marked not usable", verdict.Reason);
        Assert.Null(verdict.ChampionFails);
    }

    [Fact]
    public void Too_few_recent_outcomes_of_one_kind_are_no_verdict_on_the_champion()
    {
        // 4 unrecovered loans among 60: the gate gives no verdict, so the champion is not judged to fail.
        var labels = Enumerable.Range(0, 60).Select(i => i < 4 ? 1 : 0).ToArray();
        var random = new Random(9);
        var noise = labels.Select(_ => random.NextDouble()).ToArray();
        var otherNoise = labels.Select(_ => random.NextDouble()).ToArray();

        var verdict = Decide(noise, otherNoise, labels);

        Assert.False(verdict.Promote);
        Assert.Null(verdict.ChampionFails);
    }

    [Fact]
    public void A_usable_challenger_replaces_a_champion_that_no_longer_passes()
    {
        var (good, noise, labels) = Holdout(600, 5);

        var verdict = Decide(good, noise, labels);

        Assert.True(verdict.Promote);
        Assert.Contains("the champion no longer passes", verdict.Reason);
    }
}

/// <summary>RiskScoring cold-started on outcomes without signal, then fed outcomes that follow a known rule.</summary>
public sealed class Retraining_on_outcomes_with_signal : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<RiskScoringOptions> _host = null!;
    private TestBus _bus = null!;
    private RabbitProbe _probe = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _host = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?>
        {
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:00.500",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.200",
            ["RiskScoring:RetrainAfterOutcomes"] = "1000",
            ["RiskScoring:RetrainCheckInterval"] = "00:00:00.500",
        });
        _bus = await TestBus.StartAsync(_vhost);
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _bus.DisposeAsync();
        await _host.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Promotes_a_better_model_and_later_scores_carry_its_version()
    {
        var http = _host.Start();
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        var noise = new Random(9);
        foreach (var loan in GeneratedPortfolio.Create(400, seed: 31, prefix: "N"))
        {
            await _bus.PublishAsync(loan.Opened);
            await _bus.PublishAsync(GeneratedPortfolio.Outcome(loan) with { Status = noise.NextDouble() < 0.5 ? RecoveryStatus.WrittenOff : RecoveryStatus.FullyRecovered, RecordedAt = start });
        }
        var coldStart = await Models.WaitForAsync(http, models => models.Any(m => m.GetProperty("isChampion").GetBoolean()));
        Assert.False(coldStart.Single().GetProperty("usable").GetBoolean());

        await Models.PublishLiveOutcomesAsync(_bus, GeneratedPortfolio.Create(1600, seed: 32, prefix: "S"), start.AddDays(1));

        var models = await Models.WaitForAsync(http, list => list.Any(m => m.GetProperty("isChampion").GetBoolean() && m.GetProperty("usable").GetBoolean()));
        var champion = models.Single(m => m.GetProperty("isChampion").GetBoolean());
        var decision = champion.GetProperty("decision");
        Assert.True(decision.GetProperty("promoted").GetBoolean());
        Assert.StartsWith("scheduled", decision.GetProperty("trigger").GetString());
        // Either reason promotes: the noise-trained champion usually fails the gate on the recent outcomes, but by chance
        // it can pass narrowly, and then the challenger's clearly higher AUC promotes it.
        Assert.StartsWith("Promoted:", decision.GetProperty("reason").GetString());
        Assert.True(decision.GetProperty("challengerAucLow").GetDouble() > 0.5);
        // At least 1,000 live outcomes had arrived: the newest quarter judges, the rest train, the noisy history is left out.
        Assert.Equal("Live", decision.GetProperty("trainingOutcomes").GetString());
        var trainingRows = decision.GetProperty("trainingRows").GetInt32();
        var holdoutRows = decision.GetProperty("holdoutRows").GetInt32();
        Assert.True(trainingRows + holdoutRows >= 1000, $"{trainingRows} + {holdoutRows} outcomes");
        Assert.Equal((int)Math.Ceiling((trainingRows + holdoutRows) * 0.25), holdoutRows);

        var score = await Models.ScoreOfADelinquentPaymentAsync(_bus, _probe, GeneratedPortfolio.Create(400, seed: 31, prefix: "N")[0].Opened, "N0-late");
        Assert.Equal(champion.GetProperty("version").GetString(), score.GetProperty("modelVersion").GetString());
        Assert.True(score.GetProperty("modelUsable").GetBoolean());
    }
}

/// <summary>RiskScoring with a usable champion, then fed outcomes that are noise.</summary>
public sealed class Retraining_on_noise : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<RiskScoringOptions> _host = null!;
    private TestBus _bus = null!;
    private RabbitProbe _probe = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _host = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?>
        {
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:00.500",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.200",
            ["RiskScoring:RetrainCheckInterval"] = "01:00:00",
        });
        _bus = await TestBus.StartAsync(_vhost);
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _bus.DisposeAsync();
        await _host.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Promotes_nothing_says_why_withdraws_the_champion_that_fails_on_recent_outcomes_and_replaces_it_once_a_challenger_passes()
    {
        var http = _host.Start();
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        foreach (var loan in GeneratedPortfolio.Create(1200, seed: 41, prefix: "G"))
        {
            await _bus.PublishAsync(loan.Opened);
            await _bus.PublishAsync(GeneratedPortfolio.Outcome(loan) with { RecordedAt = start });
        }
        var first = (await Models.WaitForAsync(http, models => models.Any(m => m.GetProperty("isChampion").GetBoolean()))).Single();
        Assert.True(first.GetProperty("usable").GetBoolean());

        var random = new Random(5);
        await Models.PublishLiveOutcomesAsync(_bus, GeneratedPortfolio.Create(600, seed: 42, prefix: "Z"), start.AddDays(1),
            _ => random.NextDouble() < 0.5 ? RecoveryStatus.WrittenOff : RecoveryStatus.FullyRecovered);
        await Models.WaitForOutcomesAsync(_database, 1800);

        var response = await http.PostAsync("/api/models/retrain", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("promoted").GetBoolean());
        Assert.StartsWith("Challenger not promoted:", result.GetProperty("reason").GetString());
        Assert.Equal("Live", result.GetProperty("trainingOutcomes").GetString());
        Assert.Equal(450, result.GetProperty("trainingRows").GetInt32());
        var models = await http.GetFromJsonAsync<JsonElement>("/api/models");
        var champion = models.EnumerateArray().Single(m => m.GetProperty("isChampion").GetBoolean());
        Assert.Equal(first.GetProperty("version").GetString(), champion.GetProperty("version").GetString());
        // The champion ranks the recent (noise) outcomes no better than chance: it stays, but its scores stop counting.
        Assert.False(champion.GetProperty("usable").GetBoolean());
        Assert.StartsWith($"Withdrawn by {result.GetProperty("challengerVersion").GetString()}'s retraining: on the newest 150 outcomes recorded since its training window, Not usable",
            champion.GetProperty("withdrawnReason").GetString());
        Assert.Contains("strategies fall back to their rules", champion.GetProperty("statement").GetString());
        var score = await Models.ScoreOfADelinquentPaymentAsync(_bus, _probe, GeneratedPortfolio.Create(1200, seed: 41, prefix: "G")[0].Opened, "G0-after");
        Assert.Equal(first.GetProperty("version").GetString(), score.GetProperty("modelVersion").GetString());
        Assert.False(score.GetProperty("modelUsable").GetBoolean());
        Assert.Equal(champion.GetProperty("withdrawnReason").GetString(), result.GetProperty("championWithdrawn").GetString());
        var challenger = models.EnumerateArray().Single(m => m.GetProperty("version").GetString() == result.GetProperty("challengerVersion").GetString());
        Assert.False(challenger.GetProperty("decision").GetProperty("promoted").GetBoolean());
        Assert.Equal(result.GetProperty("reason").GetString(), challenger.GetProperty("decision").GetProperty("reason").GetString());

        // Outcomes with signal again: the first challenger that passes replaces the withdrawn champion without having to beat it.
        await Models.PublishLiveOutcomesAsync(_bus, GeneratedPortfolio.Create(600, seed: 43, prefix: "S"), start.AddDays(100));
        await Models.WaitForOutcomesAsync(_database, 2400);

        var next = await (await http.PostAsync("/api/models/retrain", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(next.GetProperty("promoted").GetBoolean(), next.ToString());
        Assert.StartsWith("Promoted: the champion's scores are marked not usable", next.GetProperty("reason").GetString());
        var promoted = (await http.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray().Single(m => m.GetProperty("isChampion").GetBoolean());
        Assert.Equal(next.GetProperty("challengerVersion").GetString(), promoted.GetProperty("version").GetString());
        Assert.True(promoted.GetProperty("usable").GetBoolean());
    }
}

internal static class Models
{
    /// <summary>
    /// Publishes the loans' outcomes as live episodes (the features they were decided on), a tenth of a day apart from
    /// <paramref name="from"/>; with the generated rule's status unless <paramref name="status"/> says otherwise.
    /// </summary>
    public static async Task PublishLiveOutcomesAsync(TestBus bus, IReadOnlyList<GeneratedPortfolio.GeneratedLoan> loans, DateTimeOffset from,
        Func<GeneratedPortfolio.GeneratedLoan, RecoveryStatus>? status = null)
    {
        for (var i = 0; i < loans.Count; i++)
        {
            var outcome = GeneratedPortfolio.Outcome(loans[i]);
            await bus.PublishAsync(outcome with
            {
                Historical = false,
                Status = status?.Invoke(loans[i]) ?? outcome.Status,
                Features = GeneratedPortfolio.Facts(loans[i].Opened).ToFeatures(),
                RecordedAt = from.AddDays(i * 0.1),
            });
        }
    }

    /// <summary>Publishes a payment 45 days past due for a loan RiskScoring knows, and returns the score it gets.</summary>
    public static async Task<JsonElement> ScoreOfADelinquentPaymentAsync(TestBus bus, RabbitProbe probe, LoanOpened loan, string paymentId)
    {
        var scored = await probe.ListenAsync("LoanRecovery.Contracts.RiskScored");
        await bus.PublishAsync(new PaymentRecorded(paymentId, loan.LoanId, loan.BorrowerId, new DateOnly(2026, 10, 1), loan.MonthlyEmi, 0m, null,
            45, 2, loan.MonthlyEmi * 2, loan.OutstandingLoanAmount, DateTimeOffset.UtcNow));
        return (await scored.WaitForAsync(1, TimeSpan.FromSeconds(30)))[0];
    }

    public static async Task<List<JsonElement>> WaitForAsync(HttpClient http, Func<List<JsonElement>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var models = (await http.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray().ToList();
            if (condition(models))
                return models;
            await Task.Delay(250);
        }
        throw new TimeoutException("The models never reached the expected state within 120 s");
    }

    public static async Task WaitForOutcomesAsync(ThrowawayDatabase database, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await database.ScalarAsync<long>("SELECT count(*) FROM risk.training_example") < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Fewer than {count} outcomes stored within 60 s");
            await Task.Delay(200);
        }
    }
}
