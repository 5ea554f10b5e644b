using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;JWT&gt;</c> with <see cref="BearerTokens"/>. A request without a token is
/// anonymous (the endpoint's policy then answers 401); a bad token fails with the reason in <c>WWW-Authenticate</c>.
/// </summary>
/// <remarks>
/// Microsoft.AspNetCore.Authentication.JwtBearer does the same, but no 10.0 version restores here (it needs
/// Microsoft.IdentityModel.Protocols.OpenIdConnect 8.19+, which the package feed lacks); this handler validates with the
/// same token library (Microsoft.IdentityModel.JsonWebTokens) and nothing else.
/// </remarks>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, BearerTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureItem = "bearer-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Fail("the Authorization header is not a bearer token");
        var (identity, failure) = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
        return identity is null
            ? Fail(failure!)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers[HeaderNames.WWWAuthenticate] = Context.Items[FailureItem] is string reason
            ? $"Bearer error=\"invalid_token\", error_description=\"{reason}\""
            : "Bearer";
        return Task.CompletedTask;
    }
}
