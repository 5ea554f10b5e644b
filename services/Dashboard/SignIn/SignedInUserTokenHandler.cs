using System.Net.Http.Headers;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// Calls the services as the signed-in person: every request carries a five-minute bearer token whose subject is their
/// username and whose role is the one their dashboard role acts as (<see cref="DashboardRoles.ServiceRoleOf"/>). Pages need a
/// signed-in user, so a request without one (none is made) would carry no token and be refused by the service.
/// </summary>
public sealed class SignedInUserTokenHandler(IHttpContextAccessor http, BearerTokens tokens) : DelegatingHandler
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SignedInUser.From(http.HttpContext?.User) is { } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                tokens.Issue(user.Username, [DashboardRoles.ServiceRoleOf(user.Role)], Lifetime));
        return base.SendAsync(request, cancellationToken);
    }
}
