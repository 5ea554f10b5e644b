using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>How long a session lasts and how hard guessing is (section <c>Dashboard:SignIn</c>).</summary>
public sealed class SignInOptions
{
    public const string Section = "Dashboard:SignIn";

    /// <summary>A session ends after this long without a request (sliding: every request renews it once half has passed).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")] public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed sign-ins for one username within <see cref="FailureWindow"/> that lock it.</summary>
    [Range(1, 100)] public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long failures are remembered; a success forgets them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked username is refused, whatever password is given.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Mark the cookie Secure on every request. Off, it is Secure when the request came over HTTPS; on, for a dashboard behind
    /// a proxy that ends TLS and forwards plain HTTP.
    /// </summary>
    public bool AlwaysSecureCookie { get; set; }
}
