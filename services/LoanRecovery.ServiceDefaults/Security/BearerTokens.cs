using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// Issues and validates the platform's bearer tokens: JWTs with the subject (<c>sub</c>), one <c>role</c> claim per role,
/// issuer, audience and expiry, signed with HMAC-SHA256. Issuing is for development (<c>loanrecovery token</c>), the
/// dashboard acting for its signed-in user, and a service calling another; a bank's identity provider would issue
/// them in production, with the same claims.
/// </summary>
public sealed class BearerTokens(IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public static BearerTokens Create(string signingKey, TimeProvider? clock = null) =>
        new(Options.Create(new AuthOptions { SigningKey = signingKey }), clock ?? TimeProvider.System);

    public string Issue(string subject, IEnumerable<string> roles, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var granted = roles.Distinct().ToArray();
        var unknown = granted.Except(ServiceRoles.All).ToArray();
        if (granted.Length == 0 || unknown.Length > 0)
            throw new ArgumentException($"Roles must be some of {string.Join(", ", ServiceRoles.All)}; got '{string.Join(", ", granted)}'", nameof(roles));
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { [SubjectClaim] = subject, [RoleClaim] = granted };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key(options.Value), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token's identity, or why it is not accepted.</summary>
    public async Task<(ClaimsIdentity? Identity, string? Failure)> ValidateAsync(string token)
    {
        var settings = options.Value;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = Key(settings),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = settings.ClockSkew,
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore.Value - parameters.ClockSkew <= now) && expires is { } e && now <= e + parameters.ClockSkew;
            },
            NameClaimType = SubjectClaim,
            RoleClaimType = RoleClaim,
            AuthenticationType = "Bearer",
        });
        return result.IsValid
            ? (result.ClaimsIdentity, null)
            : (null, result.Exception switch
            {
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "the token has expired or is not valid yet",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the token's signature is not valid",
                SecurityTokenInvalidIssuerException => "the token was issued by someone else",
                SecurityTokenInvalidAudienceException => "the token is for another audience",
                _ => "the token is not a valid bearer token",
            });
    }

    private static SymmetricSecurityKey Key(AuthOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));
}
