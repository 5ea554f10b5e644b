using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;

namespace LoanRecovery.RiskScoring.Tests;

/// <summary>
/// Live outcomes can arrive without ever pausing for the cold start's quiet period (an import's burst does pause); the first
/// model is then trained at most <c>ColdStartMaxWait</c> after the minimum number of live outcomes was reached. An import
/// that is still arriving is waited for whatever its length.
/// </summary>
public sealed class Cold_start_on_a_steady_stream_of_outcomes : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<RiskScoringOptions> _host = null!;
    private TestBus _bus = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _host = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?>
        {
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:05",
            ["RiskScoring:ColdStartMaxWait"] = "00:00:02",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.200",
            ["RiskScoring:RetrainCheckInterval"] = "01:00:00",
        });
        _bus = await TestBus.StartAsync(_vhost);
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync();
        await _host.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_first_model_is_trained_while_outcomes_keep_arriving_more_often_than_the_quiet_period()
    {
        var http = _host.Start();
        var loans = GeneratedPortfolio.Create(400, seed: 41, prefix: "Q");
        var labels = new Random(4);
        async Task PublishAsync(GeneratedPortfolio.GeneratedLoan loan)
        {
            await _bus.PublishAsync(loan.Opened);
            await _bus.PublishAsync(GeneratedPortfolio.Outcome(loan) with
            {
                Historical = false,
                Status = labels.NextDouble() < 0.5 ? RecoveryStatus.WrittenOff : RecoveryStatus.FullyRecovered,
                Features = GeneratedPortfolio.Facts(loan.Opened).ToFeatures(),
                RecordedAt = DateTimeOffset.UtcNow.AddDays(-30),
            });
        }

        foreach (var loan in loans.Take(120))
            await PublishAsync(loan);
        // One more outcome every 300 ms: never the 5 s of quiet an import's burst ends with.
        var next = 120;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<JsonElement> models = [];
        while (DateTime.UtcNow < deadline && next < loans.Count)
        {
            await PublishAsync(loans[next++]);
            await Task.Delay(300);
            models = (await http.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray().ToList();
            if (models.Any(m => m.GetProperty("isChampion").GetBoolean()))
                break;
        }

        var champion = Assert.Single(models, m => m.GetProperty("isChampion").GetBoolean());
        Assert.Equal("cold start", champion.GetProperty("decision").GetProperty("trigger").GetString());
        Assert.True(champion.GetProperty("trainingRows").GetInt32() >= 100);
        Assert.True(next < loans.Count, "the stream of outcomes ended before the model was trained");
    }

    [Fact]
    public async Task An_import_still_arriving_is_waited_for_to_its_end_however_long_it_takes()
    {
        var http = _host.Start();
        var loans = GeneratedPortfolio.Create(160, seed: 43, prefix: "H");
        // A slow import: historical outcomes every 100 ms, well past the minimum and for longer than ColdStartMaxWait.
        foreach (var loan in loans)
        {
            await _bus.PublishAsync(loan.Opened);
            await _bus.PublishAsync(GeneratedPortfolio.Outcome(loan));
            await Task.Delay(100);
            var early = (await http.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray();
            Assert.DoesNotContain(early, m => m.GetProperty("isChampion").GetBoolean());
        }

        var models = await Models.WaitForAsync(http, list => list.Any(m => m.GetProperty("isChampion").GetBoolean()));
        Assert.Equal(160, Assert.Single(models).GetProperty("trainingRows").GetInt32());
    }
}
