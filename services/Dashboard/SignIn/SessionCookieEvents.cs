using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// Checks each session against the configuration on every request: a user removed, or whose role or password hash changed,
/// is signed out at once instead of when the cookie would have expired.
/// </summary>
public sealed partial class SessionCookieEvents(UserDirectory users, ILogger<SessionCookieEvents> log) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var username = context.Principal?.Identity?.Name;
        var user = users.Find(username);
        if (user is not null && context.Principal!.FindFirst(SignedInUser.StampClaim)?.Value == SignedInUser.StampOf(user))
            return;
        LogEnded(username ?? "");
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    [LoggerMessage(LogLevel.Information, "Session of {Username} ended: the user, their role or their password changed in the configuration")]
    private partial void LogEnded(string username);
}
