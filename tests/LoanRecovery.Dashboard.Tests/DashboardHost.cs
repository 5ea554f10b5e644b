using System.Collections.Concurrent;
using LoanRecovery.Dashboard;
using LoanRecovery.Dashboard.Clients;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>
/// The dashboard on a real Kestrel port, so a real browser can load it. The services it calls are hosted in-process (their
/// test servers have no sockets), so each of its typed clients is given the matching service's in-memory handler: the
/// dashboard's own code, from page to HTTP client, runs unchanged; only the transport under the client is the test server's.
/// Under the dashboard's own handlers, <see cref="SentRequests"/> records every request it sends a service, with its token.
/// </summary>
public sealed class DashboardHost(IReadOnlyDictionary<Type, Func<HttpMessageHandler>> handlers, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<DashboardOptions>
{
    public ConcurrentQueue<SentRequest> SentRequests { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Auth:SigningKey", LoanRecovery.Testing.TestEnvironment.SigningKey);
        // Addresses are required and validated; the handlers below replace the transport, so these are only names.
        foreach (var service in new[] { "ingestion", "segmentation", "riskscoring", "strategyassignment", "performancetracking" })
            builder.UseSetting(ServiceAddresses.KeyOf(service), $"http://{service}.test");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            foreach (var (client, handler) in handlers)
                services.AddHttpClient(client.Name).ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(SentRequests) { InnerHandler = handler() });
        });
    }

    /// <summary>Starts Kestrel and returns the address the browser opens.</summary>
    public Uri Start()
    {
        UseKestrel();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    public static IReadOnlyDictionary<Type, Func<HttpMessageHandler>> Handlers(Func<HttpMessageHandler> ingestion, Func<HttpMessageHandler> segmentation,
        Func<HttpMessageHandler> risk, Func<HttpMessageHandler> strategy, Func<HttpMessageHandler> performance) => new Dictionary<Type, Func<HttpMessageHandler>>
    {
        [typeof(IngestionClient)] = ingestion,
        [typeof(SegmentationClient)] = segmentation,
        [typeof(RiskScoringClient)] = risk,
        [typeof(StrategyAssignmentClient)] = strategy,
        [typeof(PerformanceTrackingClient)] = performance,
    };

    private sealed class RecordingHandler(ConcurrentQueue<SentRequest> sent) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            sent.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!.AbsolutePath,
                request.Headers.Authorization is { Scheme: "Bearer" } bearer ? bearer.Parameter : null, (int)response.StatusCode));
            return response;
        }
    }
}

/// <summary>A request the dashboard sent a service: method, path, the bearer token it carried (null: none) and the answer's status.</summary>
public sealed record SentRequest(string Method, string Path, string? Token, int Status);
