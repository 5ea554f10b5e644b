using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// A service calling another service's API presents a short-lived token of its own (subject: its name) with the role
/// that API requires, renewed before it expires.
/// </summary>
public sealed class ServiceTokenHandler(BearerTokens tokens, IOptions<ServiceOptions> service, TimeProvider clock, string role) : DelegatingHandler
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    // A reference, swapped whole: requests share this handler concurrently, and a racing renewal only issues one more token.
    private Issued? _current;

    private sealed record Issued(string Token, DateTimeOffset RenewAt);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = _current;
        if (current is null || now >= current.RenewAt)
            _current = current = new Issued(tokens.Issue(service.Value.Name, [role], Lifetime), now + Lifetime / 2);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.Token);
        return base.SendAsync(request, cancellationToken);
    }
}
