using System.Net.Http.Headers;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Dashboard.Session;

/// <summary>
/// Calls the services as the person using the dashboard: every request carries a short-lived bearer token whose subject is
/// the acting user's name and whose role is the one their dashboard role needs (officers act as <c>collector</c>, analysts
/// and executives as <c>analyst</c>). With nobody chosen yet, requests carry no token and the services refuse them (401),
/// which the pages show in words.
/// </summary>
public sealed class ActingUserTokenHandler(IHttpContextAccessor http, BearerTokens tokens) : DelegatingHandler
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static string ServiceRoleOf(DashboardRole role) => role switch
    {
        DashboardRole.Officer => ServiceRoles.Collector,
        _ => ServiceRoles.Analyst,
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext is { } context && ActingUser.From(context.Request) is { } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(user.Name, [ServiceRoleOf(user.Role)], Lifetime));
        return base.SendAsync(request, cancellationToken);
    }
}
