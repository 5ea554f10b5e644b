using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// The person signed in, as their session cookie carries them: username (also the identifier the work queue records), the
/// name shown, the role, and a stamp of their configured password hash and role, so changing either ends their sessions.
/// </summary>
public sealed record SignedInUser(string Username, string DisplayName, DashboardRole Role)
{
    public const string DisplayNameClaim = "display_name";
    public const string StampClaim = "session_stamp";

    public static SignedInUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } username })
            return null;
        var role = DashboardRoles.Parse(principal.FindFirstValue(ClaimTypes.Role));
        return role is null ? null : new SignedInUser(username, principal.FindFirstValue(DisplayNameClaim) ?? username, role.Value);
    }

    public static ClaimsPrincipal PrincipalFor(DashboardUser user) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.Username),
                new Claim(DisplayNameClaim, user.Shown),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(StampClaim, StampOf(user)),
            ], CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>A short digest of what must not change under a live session: the password hash and the role.</summary>
    public static string StampOf(DashboardUser user) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Role}\n{user.PasswordHash}")).AsSpan(0, 12));
}
