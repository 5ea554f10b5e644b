using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// How bearer tokens are checked (section <c>Auth</c>). Tokens are JWTs signed with HMAC-SHA256 by the key every service
/// and the token issuer share; <c>./run.sh</c> makes a random local key under <c>.data/</c>, production sets its own.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The shared signing key, at least 32 characters (256 bits for HMAC-SHA256).</summary>
    [Required(ErrorMessage = "Auth:SigningKey is required (./run.sh creates a local one in .data/auth/signing-key)")]
    [MinLength(32, ErrorMessage = "Auth:SigningKey must be at least 32 characters")]
    public string SigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "loanrecovery";

    [Required]
    public string Audience { get; set; } = "loanrecovery-services";

    /// <summary>Tolerance for clocks that disagree about a token's lifetime.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
