using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LoanRecovery.Contracts;

namespace LoanRecovery.Segmentation.Tests;

public sealed partial class Segmenting_a_streamed_portfolio(SegmentedPortfolioFixture service) : IClassFixture<SegmentedPortfolioFixture>
{
    [GeneratedRegex("^[a-z][a-z ,-]*[a-z]$")]
    private static partial Regex Words();

    [Fact]
    public async Task After_the_quiet_period_a_model_exists_and_every_borrower_gets_exactly_one_segment()
    {
        var messages = await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(service.Borrowers, messages.Count);
        Assert.Equal(service.Borrowers, messages.Select(m => m.GetProperty("borrowerId").GetString()).Distinct().Count());
        Assert.All(messages, m => Assert.Matches(Words(), m.GetProperty("segmentLabel").GetString()!));
        Assert.Single(messages.Select(m => m.GetProperty("segmentModelVersion").GetString()).Distinct());

        var segments = await service.SegmentsAsync();
        Assert.Equal(4, segments.GetProperty("k").GetInt32());
        Assert.True(segments.GetProperty("silhouette").GetDouble() > 0.5);
        var profiles = segments.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(4, profiles.Length);
        Assert.Equal(service.Borrowers, profiles.Sum(s => s.GetProperty("size").GetInt32()));
        Assert.All(profiles, s => Assert.Equal(Portfolio.PerGroup, s.GetProperty("size").GetInt32()));
        Assert.Equal(4, profiles.Select(s => s.GetProperty("label").GetString()).Distinct().Count());
        Assert.Contains(profiles, s => s.GetProperty("label").GetString()!.Contains("behind on payments"));
        Assert.True(profiles[0].GetProperty("centroid").GetProperty("monthlyIncome").GetDouble() > 0);
    }

    [Fact]
    public async Task Refitting_unchanged_data_changes_no_assignment_and_publishes_nothing()
    {
        var before = await service.SegmentsAsync();
        var published = service.Segmented.Messages.Count;

        var response = await service.Http.PostAsync("/api/segments/refit", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unchanged", refit.GetProperty("status").GetString());
        Assert.Equal(0, refit.GetProperty("published").GetInt32());
        Assert.Equal(before.GetProperty("modelVersion").GetString(), refit.GetProperty("modelVersion").GetString());
        Assert.Equal(published, (await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1))).Count);
        var after = await service.SegmentsAsync();
        Assert.Equal(Sizes(before), Sizes(after));
    }

    [Fact]
    public async Task The_segment_profile_reports_the_share_not_fully_recovered_from_recovery_outcomes()
    {
        // High earners: 2 of 6 fully recovered (one loan reported twice, the later outcome counts); low earners: 1 of 1.
        var statuses = new[] { RecoveryStatus.FullyRecovered, RecoveryStatus.WrittenOff, RecoveryStatus.PartiallyRecovered, RecoveryStatus.WrittenOff,
            RecoveryStatus.FullyRecovered, RecoveryStatus.PartiallyRecovered };
        var outcomes = statuses.Select((status, i) => Outcome(Portfolio.BorrowerId(SegmentedPortfolioFixture.Prefix, Portfolio.High, i + 1), status,
            historical: true, DateTimeOffset.UtcNow.AddDays(-30))).ToList();
        outcomes.Add(Outcome(Portfolio.BorrowerId(SegmentedPortfolioFixture.Prefix, Portfolio.High, 6), RecoveryStatus.FullyRecovered,
            historical: false, DateTimeOffset.UtcNow));
        outcomes.Add(Outcome(Portfolio.BorrowerId(SegmentedPortfolioFixture.Prefix, Portfolio.Current, 1), RecoveryStatus.FullyRecovered,
            historical: true, DateTimeOffset.UtcNow));
        foreach (var outcome in outcomes)
            await service.PublishAsync(outcome);

        // Seven loans, eight outcomes: the count of loans reaches 7 before the last outcome may have been consumed, so wait
        // for the high earner's later, observed outcome to have replaced its historical one as well.
        var segments = await service.EventuallyAsync(service.SegmentsAsync,
            s => s.GetProperty("segments").EnumerateArray().Sum(p => p.GetProperty("outcomes").GetInt32()) == 7
                 && s.GetProperty("segments").EnumerateArray().Sum(p => p.GetProperty("historicalOutcomes").GetInt32()) == 6,
            "7 outcomes profiled, 6 of them historical");

        var profiles = segments.GetProperty("segments").EnumerateArray().ToArray();
        var high = profiles.Single(p => p.GetProperty("label").GetString()!.StartsWith("high income"));
        Assert.Equal(6, high.GetProperty("outcomes").GetInt32());
        Assert.Equal(5, high.GetProperty("historicalOutcomes").GetInt32());
        Assert.Equal(3.0 / 6, high.GetProperty("notFullyRecoveredShare").GetDouble(), 9);
        var low = profiles.Single(p => p.GetProperty("outcomes").GetInt32() == 1);
        Assert.Equal(0.0, low.GetProperty("notFullyRecoveredShare").GetDouble());
        Assert.All(profiles.Where(p => p.GetProperty("outcomes").GetInt32() == 0),
            p => Assert.Equal(JsonValueKind.Null, p.GetProperty("notFullyRecoveredShare").ValueKind));
    }

    [Theory]
    [InlineData("""{ "k": 1 }""", "k")]
    [InlineData("""{ "k": "four" }""", "k")]
    [InlineData("""{ "kRange": "8..2" }""", "kRange")]
    public async Task An_invalid_refit_body_gets_problem_details_naming_the_field(string body, string field)
    {
        var published = service.Segmented.Messages.Count;

        var response = await service.Http.PostAsync("/api/segments/refit", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var reasons), errors.ToString());
        Assert.NotEmpty(reasons[0].GetString()!);
        Assert.Equal(published, service.Segmented.Messages.Count);
    }

    [Fact]
    public async Task A_borrower_is_served_with_their_segment_and_features()
    {
        var borrowerId = Portfolio.BorrowerId(SegmentedPortfolioFixture.Prefix, Portfolio.Behind, 2);

        var borrower = await service.Http.GetFromJsonAsync<JsonElement>($"/api/segments/borrowers/{borrowerId}");

        Assert.Equal(borrowerId, borrower.GetProperty("borrowerId").GetString());
        Assert.Contains("behind on payments", borrower.GetProperty("segmentLabel").GetString());
        Assert.Equal(service.SegmentedFor(borrowerId).Single().GetProperty("segmentId").GetInt32(), borrower.GetProperty("segmentId").GetInt32());
        var features = borrower.GetProperty("features");
        Assert.Equal(31_000, features.GetProperty("monthlyIncome").GetDouble());
        Assert.Equal(150, features.GetProperty("daysPastDue").GetDouble());
        Assert.Equal(0.1, features.GetProperty("emiToIncome").GetDouble(), 2);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync("/api/segments/borrowers/NOBODY")).StatusCode);
    }

    [Fact]
    public async Task The_service_is_ready_and_serves_its_OpenAPI_document()
    {
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);

        var paths = (await service.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/segments", "/api/segments/borrowers/{borrowerId}", "/api/segments/refit" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }

    [Fact]
    public async Task Its_queues_are_its_own_so_other_services_consuming_the_same_events_get_their_own_copies()
    {
        foreach (var queue in new[] { "segmentation-loan-opened", "segmentation-payment-recorded", "segmentation-recovery-outcome-recorded" })
            Assert.True(await service.VirtualHost.QueueExistsAsync(queue), queue);
        Assert.False(await service.VirtualHost.QueueExistsAsync("loan-opened"));
    }

    private static int[] Sizes(JsonElement segments) =>
        segments.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("size").GetInt32()).ToArray();

    private static RecoveryOutcomeRecorded Outcome(string borrowerId, RecoveryStatus status, bool historical, DateTimeOffset at) =>
        new(Guid.NewGuid(), "LN-" + borrowerId, borrowerId, historical, status, null, null, null, null, null, null, null, null, null, null,
            new Dictionary<string, double?>(), at);
}
