using System.Net.Http.Headers;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Testing;

/// <summary>Bearer tokens signed with the tests' key, as the services hosted by <see cref="ServiceHost{TProgram}"/> expect.</summary>
public static class TestTokens
{
    /// <summary>
    /// Sends every request with a token for the roles, issued on <paramref name="clock"/>: a service whose clock a test
    /// controls checks lifetimes against that clock, so a token of the real time may not be valid yet, or no longer, there.
    /// Long-lived, so that a test clock moved forward by months does not expire it.
    /// </summary>
    public static HttpClient WithToken(this HttpClient client, TimeProvider clock, params string[] roles)
    {
        var token = BearerTokens.Create(TestEnvironment.SigningKey, clock).Issue("test-" + string.Join("-", roles), roles, TimeSpan.FromDays(3650));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Sends every request of this client with a token for the roles, issued on the real clock.</summary>
    public static HttpClient WithToken(this HttpClient client, params string[] roles) => client.WithToken(TimeProvider.System, roles);
}
