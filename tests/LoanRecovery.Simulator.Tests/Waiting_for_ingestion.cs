using System.Net;
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
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

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
