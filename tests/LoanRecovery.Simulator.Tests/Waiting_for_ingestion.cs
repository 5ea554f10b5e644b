using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Simulator.Transport;

namespace LoanRecovery.Simulator.Tests;

public sealed class Waiting_for_ingestion
{
    /// <summary>Answers the first request for each loan too late (the client's timeout) and every later one at once.</summary>
    private sealed class SlowFirstAnswer : HttpMessageHandler
    {
        private readonly HashSet<string> _asked = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            bool first;
            lock (_asked)
                first = _asked.Add(request.RequestUri!.AbsolutePath);
            if (first)
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Answer) };
        }

        private const string Answer = "{\"missingLoanIds\":[],\"missingPaymentIds\":[]}";
    }

    /// <summary>Ingestion's reconciliation: reports the payments of <c>late</c> missing on the first round, none after; keeps every request body.</summary>
    private sealed class RecordsLate(params string[] late) : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/reconciliation", request.RequestUri!.AbsolutePath);
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var missing = Bodies.Count == 1 ? late : [];
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { missingLoanIds = Array.Empty<string>(), missingPaymentIds = missing }) };
        }
    }

    [Fact]
    public async Task Payments_not_yet_recorded_are_asked_about_again_and_only_they()
    {
        var ingestion = new RecordsLate("P-2");
        using var http = new HttpClient(ingestion) { BaseAddress = new Uri("http://ingestion.test") };

        var recorded = await new IngestionClient(http).WaitForAsync([("LN_1", "P-1"), ("LN_1", "P-2"), ("LN_2", "P-3")], TimeSpan.FromSeconds(30),
            TestContext.Current.CancellationToken);

        Assert.Equal(3, recorded);
        Assert.Equal(2, ingestion.Bodies.Count);
        Assert.Equal(["P-1", "P-2", "P-3"], PaymentIds(ingestion.Bodies[0]));
        Assert.Equal(["P-2"], PaymentIds(ingestion.Bodies[1]));
    }

    [Fact]
    public async Task What_is_still_missing_when_the_time_is_up_is_not_counted()
    {
        var ingestion = new RecordsLate("P-2");
        using var http = new HttpClient(ingestion) { BaseAddress = new Uri("http://ingestion.test") };

        Assert.Equal(1, await new IngestionClient(http).WaitForAsync([("LN_1", "P-1"), ("LN_1", "P-2")], TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.Single(ingestion.Bodies);
    }

    private static IEnumerable<string?> PaymentIds(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("paymentIds").EnumerateArray().Select(e => e.GetString()).ToList();

    [Fact]
    public async Task A_request_that_times_out_is_asked_again_instead_of_ending_the_run()
    {
        using var http = new HttpClient(new SlowFirstAnswer()) { BaseAddress = new Uri("http://ingestion.test"), Timeout = TimeSpan.FromMilliseconds(200) };
        var client = new IngestionClient(http);

        var recorded = await client.WaitForAsync([("LN_1", null), ("LN_2", null)], TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, recorded);
    }

    [Fact]
    public async Task Cancelling_the_run_still_ends_the_wait()
    {
        using var http = new HttpClient(new SlowFirstAnswer()) { BaseAddress = new Uri("http://ingestion.test"), Timeout = TimeSpan.FromSeconds(30) };
        var client = new IngestionClient(http);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForAsync([("LN_1", null)], TimeSpan.FromSeconds(30), cancel.Token));
    }
}
