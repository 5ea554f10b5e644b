using System.Net.Http.Headers;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Testing;

/// <summary>Bearer tokens signed with the tests' key, as the services hosted by <see cref="ServiceHost{TProgram}"/> expect.</summary>
public static class TestTokens
{
    private static readonly BearerTokens Tokens = BearerTokens.Create(TestEnvironment.SigningKey);

    public static string Issue(params string[] roles) => Tokens.Issue("test-" + string.Join("-", roles), roles, TimeSpan.FromHours(2));

    /// <summary>
    /// Sends every request with a token issued on <paramref name="clock"/>: a service whose clock a test controls checks
    /// lifetimes against that clock, so a token of the real time may not be valid yet, or no longer, there.
    /// </summary>
    public static HttpClient WithToken(this HttpClient client, TimeProvider clock, params string[] roles)
    {
        var token = BearerTokens.Create(TestEnvironment.SigningKey, clock).Issue("test-" + string.Join("-", roles), roles, TimeSpan.FromDays(3650));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Sends every request of this client with a token for the roles.</summary>
    public static HttpClient WithToken(this HttpClient client, params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issue(roles));
        return client;
    }
}
