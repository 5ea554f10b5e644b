using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Ingestion;
using LoanRecovery.RiskScoring;
using LoanRecovery.Segmentation;
using LoanRecovery.Testing;

namespace LoanRecovery.Integration.Tests;

/// <summary>
/// Ingestion, Segmentation and RiskScoring running together on one database (a schema and role each) and one
/// virtual host: the lender's portfolio goes in as a CSV, a core banking payment goes in as plain AMQP JSON, and
/// what comes out is a segment and an explained score.
/// </summary>
public sealed class Seed_portfolio_to_explained_scores : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<IngestionOptions> _ingestion = null!;
    private ServiceHost<SegmentationOptions> _segmentation = null!;
    private ServiceHost<RiskScoringOptions> _risk = null!;
    private RabbitProbe _probe = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
        _ingestion = new ServiceHost<IngestionOptions>(_database, _vhost, "ingestion");
        _segmentation = new ServiceHost<SegmentationOptions>(_database, _vhost, "segmentation");
        _risk = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk");
    }

    public async ValueTask DisposeAsync()
    {
        await _risk.DisposeAsync();
        await _segmentation.DisposeAsync();
        await _ingestion.DisposeAsync();
        await _probe.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_payment_for_a_delinquent_seed_loan_yields_one_segment_and_one_explained_score()
    {
        var seed = TestEnvironment.SeedFile;
        Assert.SkipWhen(seed is null, TestEnvironment.SeedFileMissing);
        var ingestion = _ingestion.Start();
        var segmentation = _segmentation.Start();
        var risk = _risk.Start();
        var segmented = await _probe.ListenAsync("LoanRecovery.Contracts.BorrowerSegmented");
        var scored = await _probe.ListenAsync("LoanRecovery.Contracts.RiskScored");

        using (var csv = new StringContent(await File.ReadAllTextAsync(seed!), System.Text.Encoding.UTF8, "text/csv"))
        {
            var import = await (await ingestion.PostAsync("/api/imports", csv)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(500, import.GetProperty("accepted").GetInt32());
        }

        // Every borrower is segmented once; the cold-start model is trained on the seed file's outcomes.
        await segmented.WaitForAsync(500, Wait);
        var champion = await WaitForChampionAsync(risk);
        Assert.False(champion.GetProperty("usable").GetBoolean());
        Assert.StartsWith("Not usable:", champion.GetProperty("statement").GetString());

        // A delinquent loan of the seed file (LN_n, BRW_n) misses one more instalment.
        var (loanId, borrowerId, emi) = FirstDelinquentLoan(seed!);
        var before = segmented.Messages.Where(m => m.GetProperty("borrowerId").GetString() == borrowerId).ToList();
        Assert.Single(before);
        await _probe.PublishRawAsync("core-banking", "payment",
            $$"""{"paymentId":"{{loanId}}-next","loanId":"{{loanId}}","dueDate":"2026-11-01","amountDue":{{emi}},"amountPaid":0,"paidOn":null}""");

        var score = (await scored.WaitForAsync(1, Wait)).Single();
        Assert.Single(await scored.SettleAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(loanId, score.GetProperty("loanId").GetString());
        Assert.Equal(champion.GetProperty("version").GetString(), score.GetProperty("modelVersion").GetString());
        Assert.False(score.GetProperty("modelUsable").GetBoolean());
        Assert.Equal(before[0].GetProperty("segmentLabel").GetString(), score.GetProperty("segmentLabel").GetString());
        var sum = score.GetProperty("contributions").EnumerateObject().Sum(c => c.Value.GetDouble());
        Assert.Equal(score.GetProperty("rawScore").GetDouble(), score.GetProperty("expectedValue").GetDouble() + sum, 9);
        Assert.InRange(score.GetProperty("reasons").GetArrayLength(), 1, 4);

        // The payment either left the borrower in its segment (no event) or moved it (one event, a new segment).
        var after = segmented.Messages.Where(m => m.GetProperty("borrowerId").GetString() == borrowerId).Skip(1).ToList();
        Assert.True(after.Count <= 1);
        Assert.All(after, m => Assert.NotEqual(before[0].GetProperty("segmentId").GetInt32(), m.GetProperty("segmentId").GetInt32()));
    }

    private static async Task<JsonElement> WaitForChampionAsync(HttpClient risk)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var models = await risk.GetFromJsonAsync<JsonElement>("/api/models");
            foreach (var model in models.EnumerateArray())
                if (model.GetProperty("isChampion").GetBoolean())
                    return model;
            await Task.Delay(250);
        }
        throw new TimeoutException("RiskScoring trained no cold-start model from the imported outcomes");
    }

    private static (string LoanId, string BorrowerId, string Emi) FirstDelinquentLoan(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).First(c => int.Parse(c[Array.IndexOf(header, "Days_Past_Due")], CultureInfo.InvariantCulture) > 0);
        return (row[Array.IndexOf(header, "Loan_ID")], row[Array.IndexOf(header, "Borrower_ID")], row[Array.IndexOf(header, "Monthly_EMI")]);
    }
}
