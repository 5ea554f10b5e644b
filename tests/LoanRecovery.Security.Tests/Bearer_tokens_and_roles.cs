using System.Net;
using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Testing;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// Every API requires a bearer token and the role its endpoint names: <c>ingest</c> for core banking's writes,
/// <c>collector</c> for the work queue, <c>analyst</c> for what-if, retraining and policies; any staff role reads;
/// <c>admin</c> passes everywhere. Health answers without a token (to loopback callers only).
/// </summary>
public sealed class Bearer_tokens_and_roles(SecuredServices services) : IClassFixture<SecuredServices>
{
    /// <summary>Service, method, path, body, the role that may, a role that may not.</summary>
    public static TheoryData<string, string, string, string?, string, string> Endpoints() => new()
    {
        { "ingestion", "POST", "/api/payments", "{}", ServiceRoles.Ingest, ServiceRoles.Collector },
        { "ingestion", "GET", "/api/loans/NOPE", null, ServiceRoles.Collector, "none" },
        { "ingestion", "POST", "/api/reconciliation", "{}", ServiceRoles.Ingest, "none" },
        { "risk", "POST", "/api/scores/what-if", "{}", ServiceRoles.Analyst, ServiceRoles.Collector },
        { "risk", "POST", "/api/models/retrain", null, ServiceRoles.Analyst, ServiceRoles.Ingest },
        { "risk", "GET", "/api/models", null, ServiceRoles.Collector, ServiceRoles.Ingest },
        { "strategy", "GET", "/api/tasks", null, ServiceRoles.Collector, ServiceRoles.Ingest },
        { "strategy", "POST", $"/api/tasks/{Guid.Empty}/claim", "{}", ServiceRoles.Collector, ServiceRoles.Analyst },
        { "strategy", "POST", "/api/loans/NOPE/overrides", "{}", ServiceRoles.Collector, ServiceRoles.Analyst },
        { "strategy", "PUT", "/api/policies/champion", "{}", ServiceRoles.Analyst, ServiceRoles.Collector },
        { "performance", "GET", "/api/performance/recovery", null, ServiceRoles.Analyst, ServiceRoles.Ingest },
        { "performance", "POST", "/api/performance/policies/evaluate", null, ServiceRoles.Analyst, ServiceRoles.Collector },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Need_a_token_with_the_endpoints_role(string service, string method, string path, string? body, string allowed, string refused)
    {
        using var anonymous = Host(service).Anonymous();
        var none = await anonymous.SendAsync(Request(method, path, body));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        if (refused != "none")
        {
            using var wrongRole = Host(service).For(refused);
            Assert.Equal(HttpStatusCode.Forbidden, (await wrongRole.SendAsync(Request(method, path, body))).StatusCode);
        }

        // The right role gets through to the endpoint, whatever it then answers (here often 400, 404 or 409).
        foreach (var role in new[] { allowed, ServiceRoles.Admin })
        {
            using var client = Host(service).For(role);
            var status = (await client.SendAsync(Request(method, path, body))).StatusCode;
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} was refused {method} {path}: {status}");
        }
    }

    [Fact]
    public async Task A_token_that_is_expired_signed_with_another_key_or_not_a_token_is_refused_with_the_reason()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow.AddHours(-3));
        var expired = BearerTokens.Create(TestEnvironment.SigningKey, clock).Issue("officer-1", [ServiceRoles.Collector], TimeSpan.FromHours(1));
        var forged = BearerTokens.Create("another-key-that-is-long-enough-to-sign-0123456789").Issue("officer-1", [ServiceRoles.Admin], TimeSpan.FromHours(1));
        foreach (var (token, reason) in new[] { (expired, "expired"), (forged, "signature"), ("not-a-jwt", "not a valid bearer token") })
        {
            using var client = services.Strategy.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var response = await client.GetAsync("/api/tasks");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(reason, response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task Health_answers_without_a_token_and_only_loopback_callers_may_use_it()
    {
        using var anonymous = services.Ingestion.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.True(LoopbackOnly.Allows(IPAddress.Loopback));
        Assert.True(LoopbackOnly.Allows(IPAddress.IPv6Loopback));
        Assert.False(LoopbackOnly.Allows(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public async Task A_token_names_its_subject_and_only_known_roles()
    {
        var tokens = BearerTokens.Create(TestEnvironment.SigningKey);
        Assert.Throws<ArgumentException>(() => tokens.Issue("officer-1", ["superuser"], TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentException>(() => tokens.Issue("officer-1", [], TimeSpan.FromHours(1)));
        var (identity, failure) = await tokens.ValidateAsync(tokens.Issue("officer-7", [ServiceRoles.Collector, ServiceRoles.Analyst], TimeSpan.FromMinutes(5)));
        Assert.Null(failure);
        Assert.Equal("officer-7", identity!.Name);
        Assert.Equal([ServiceRoles.Collector, ServiceRoles.Analyst], identity.FindAll(BearerTokens.RoleClaim).Select(c => c.Value));
    }

    /// <summary>The service's clients: without a token, and with a token for one role.</summary>
    private (Func<HttpClient> Anonymous, Func<string, HttpClient> For) Host(string service) => service switch
    {
        "ingestion" => (services.Ingestion.CreateClient, role => services.Ingestion.ClientFor(role)),
        "risk" => (services.Risk.CreateClient, role => services.Risk.ClientFor(role)),
        "strategy" => (services.Strategy.CreateClient, role => services.Strategy.ClientFor(role)),
        _ => (services.Performance.CreateClient, role => services.Performance.ClientFor(role)),
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static HttpRequestMessage Request(string method, string path, string? body) =>
        new(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
}
