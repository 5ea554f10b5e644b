using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Testing;

namespace LoanRecovery.RiskScoring.Tests;

/// <summary>GET /api/portfolio/analytics on a real database holding a handful of loans with known figures.</summary>
public sealed class Portfolio_analytics : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<RiskScoringOptions> _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        // No cold start on these few outcomes: this test is about the aggregates alone.
        _host = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?> { ["RiskScoring:MinimumTrainingRows"] = "100000" });
        _http = _host.Start();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await _http.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("RiskScoring not ready within 60 s");
            await Task.Delay(200);
        }
        await _database.ExecuteAsync("""
            INSERT INTO risk.loan_snapshot (loan_id, borrower_id, monthly_income, loan_amount, payment_history, missed_payments, initial_features, opened_at, updated_at)
            VALUES ('L1', 'B1', 1000, 100, 'On-Time', 0, '{}', now(), now()),
                   ('L2', 'B2', 2000, 200, 'Delayed', 1, '{}', now(), now()),
                   ('L3', 'B3', 3000, 300, 'Missed', 3, '{}', now(), now()),
                   ('L4', 'B4', 4000, 400, 'Missed', 8, '{}', now(), now()),
                   ('L5', 'B5', 5000, 1000, 'On-Time', 0, '{}', now(), now()),
                   ('L6', 'B6', 6000, 1000, NULL, 0, '{}', now(), now());
            -- L3 was written off in the lender's history, then observed partially recovered here: the latest counts. L5 has no outcome.
            INSERT INTO risk.training_example (outcome_id, loan_id, historical, status, not_fully_recovered, recorded_at, received_at)
            VALUES (gen_random_uuid(), 'L1', true, 'FullyRecovered', false, '2026-01-01', now()),
                   (gen_random_uuid(), 'L2', true, 'FullyRecovered', false, '2026-01-01', now()),
                   (gen_random_uuid(), 'L3', true, 'WrittenOff', true, '2026-01-01', now()),
                   (gen_random_uuid(), 'L3', false, 'PartiallyRecovered', true, '2026-03-01', now()),
                   (gen_random_uuid(), 'L4', true, 'WrittenOff', true, '2026-01-01', now()),
                   (gen_random_uuid(), 'L6', true, 'FullyRecovered', false, '2026-01-01', now());
            -- B6 still carries an older segmentation model's assignment: it is left out of the segments.
            INSERT INTO risk.borrower_segment (borrower_id, segment_id, segment_label, model_version, updated_at)
            VALUES ('B1', 1, 'low income', 'seg-2', '2026-02-01'), ('B2', 1, 'low income', 'seg-2', '2026-02-01'),
                   ('B3', 1, 'low income', 'seg-2', '2026-02-01'), ('B4', 1, 'low income', 'seg-2', '2026-02-01'),
                   ('B5', 2, 'high income', 'seg-2', '2026-02-02'), ('B6', 2, 'older', 'seg-1', '2026-01-01');
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Aggregates_the_loans_by_amount_income_history_missed_payments_latest_status_and_current_segment()
    {
        var a = await _http.GetFromJsonAsync<JsonElement>("/api/portfolio/analytics?bins=2&incomeBands=2&samplePerSegment=3");

        Assert.Equal(6, a.GetProperty("loans").GetInt32());
        Assert.Equal(5, a.GetProperty("loansWithOutcome").GetInt32());

        // Two equal-width bins over 100..1000: 100, 200, 300, 400 below 550; the two loans of 1000 (the maximum) in the last.
        var bins = a.GetProperty("loanAmountDistribution").EnumerateArray().ToList();
        Assert.Equal([(100.0, 550.0, 4), (550.0, 1000.0, 2)],
            bins.Select(b => (b.GetProperty("from").GetDouble(), b.GetProperty("to").GetDouble(), b.GetProperty("count").GetInt32())));

        var bands = a.GetProperty("loanAmountByIncome").EnumerateArray().ToList();
        Assert.Equal([(1000.0, 3000.0, 200.0), (4000.0, 6000.0, 800.0)],
            bands.Select(b => (b.GetProperty("incomeFrom").GetDouble(), b.GetProperty("incomeTo").GetDouble(), Math.Round(b.GetProperty("averageLoanAmount").GetDouble(), 6))));

        Assert.Equal(["Delayed/FullyRecovered/1", "Missed/PartiallyRecovered/1", "Missed/WrittenOff/1", "Not recorded/FullyRecovered/1", "On-Time/FullyRecovered/1"],
            Counts(a.GetProperty("paymentHistoryByStatus")));
        Assert.Equal(["0/FullyRecovered/2", "1/FullyRecovered/1", "3/PartiallyRecovered/1", "6+/WrittenOff/1"],
            Counts(a.GetProperty("missedPaymentsByStatus")));

        var full = a.GetProperty("incomeAndAmountByStatus").EnumerateArray().Single(s => s.GetProperty("status").GetString() == "FullyRecovered");
        Assert.Equal(3, full.GetProperty("loans").GetInt32());
        Assert.Equal([1000.0, 1500.0, 2000.0, 4000.0, 6000.0], full.GetProperty("monthlyIncome").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([100.0, 150.0, 200.0, 600.0, 1000.0], full.GetProperty("loanAmount").EnumerateArray().Select(v => v.GetDouble()));

        var segments = a.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal([(1, "low income", 4, 3), (2, "high income", 1, 1)], segments.Select(s => (s.GetProperty("segmentId").GetInt32(),
            s.GetProperty("label").GetString(), s.GetProperty("borrowers").GetInt32(), s.GetProperty("points").GetArrayLength())));
    }

    [Fact]
    public async Task Names_each_query_parameter_out_of_range()
    {
        var response = await _http.GetAsync("/api/portfolio/analytics?bins=1&samplePerSegment=5000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("between 2 and 100", errors.GetProperty("bins")[0].GetString());
        Assert.Contains("between 0 and 2000", errors.GetProperty("samplePerSegment")[0].GetString());
    }

    private static List<string> Counts(JsonElement rows) => rows.EnumerateArray()
        .Select(r => $"{r.GetProperty("category").GetString()}/{r.GetProperty("status").GetString()}/{r.GetProperty("loans").GetInt32()}").ToList();
}
