using LoanRecovery.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInOutcome
{
    public sealed record Succeeded(DashboardUser User) : SignInOutcome;
    /// <summary>The username or the password is wrong (which one is not said).</summary>
    public sealed record Rejected : SignInOutcome;
    public sealed record LockedOut(DateTimeOffset Until) : SignInOutcome;
}

/// <summary>
/// Checks a username and password against the configured users, under the <see cref="SignInThrottle"/>. An unknown username
/// costs the same hash computation as a known one, so the time taken does not tell which usernames exist.
/// </summary>
public sealed partial class PasswordSignIn(UserDirectory users, SignInThrottle throttle, IOptionsMonitor<SignInOptions> options, ILogger<PasswordSignIn> log)
{
    private static readonly Lazy<string> UnknownUserHash = new(() => PasswordHashes.Hash(Guid.NewGuid().ToString("N")));

    public SignInOutcome Check(string username, string password)
    {
        username = username.Trim();
        if (throttle.Begin(username) is { } lockedUntil)
        {
            LogLocked(lockedUntil);
            return new SignInOutcome.LockedOut(lockedUntil);
        }
        var user = users.Find(username);
        var matches = PasswordHashes.Verify(user?.PasswordHash ?? UnknownUserHash.Value, password) && user is not null;
        if (matches)
        {
            throttle.Succeeded(username);
            LogSignedIn(user!.Username, user.Role);
            return new SignInOutcome.Succeeded(user);
        }
        var locked = throttle.Failed(username);
        // The username typed is logged only when it is a configured one: an unknown one may be a password typed in the wrong field.
        if (user is null) LogUnknownUsername();
        else LogWrongPassword(user.Username);
        if (locked is { } until)
        {
            LogLockedNow(options.CurrentValue.MaxFailedAttempts, until);
            return new SignInOutcome.LockedOut(until);
        }
        return new SignInOutcome.Rejected();
    }

    [LoggerMessage(LogLevel.Information, "User {Username} signed in as {Role}")]
    private partial void LogSignedIn(string username, string role);

    [LoggerMessage(LogLevel.Warning, "Sign-in refused: wrong password for user {Username}")]
    private partial void LogWrongPassword(string username);

    [LoggerMessage(LogLevel.Warning, "Sign-in refused: unknown username")]
    private partial void LogUnknownUsername();

    [LoggerMessage(LogLevel.Warning, "Sign-in refused: the username is locked until {LockedUntil}")]
    private partial void LogLocked(DateTimeOffset lockedUntil);

    [LoggerMessage(LogLevel.Warning, "A username was locked after {Attempts} failed sign-ins, until {LockedUntil}")]
    private partial void LogLockedNow(int attempts, DateTimeOffset lockedUntil);
}
