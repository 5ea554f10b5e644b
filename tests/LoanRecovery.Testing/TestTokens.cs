using System.Net.Http.Headers;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Testing;

/// <summary>Bearer tokens signed with the tests' key, as the services hosted by <see cref="ServiceHost{TProgram}"/> expect.</summary>
public static class TestTokens
{
    private static readonly BearerTokens Tokens = BearerTokens.Create(TestEnvironment.SigningKey);

    public static string Issue(params string[] roles) => Tokens.Issue("test-" + string.Join("-", roles), roles, TimeSpan.FromHours(2));

    /// <summary>Sends every request of this client with a token for the roles.</summary>
    public static HttpClient WithToken(this HttpClient client, params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issue(roles));
        return client;
    }
}
