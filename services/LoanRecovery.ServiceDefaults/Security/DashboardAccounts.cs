using System.Text.RegularExpressions;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>What a person does in the dashboard. Configured per user (<c>Dashboard:Users</c>) and carried in their sign-in cookie.</summary>
public enum DashboardRole { Officer, Analyst, Executive }

/// <summary>The service role each dashboard role calls the services as.</summary>
public static class DashboardRoles
{
    /// <summary>
    /// Officers work the queue (<c>collector</c>); analysts and executives read the figures and models (<c>analyst</c>). The
    /// dashboard itself keeps executives from retraining; the services only know the token's role.
    /// </summary>
    public static string ServiceRoleOf(DashboardRole role) => role switch
    {
        DashboardRole.Officer => ServiceRoles.Collector,
        DashboardRole.Analyst or DashboardRole.Executive => ServiceRoles.Analyst,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown dashboard role"),
    };

    /// <summary>The role with this exact name (Officer, Analyst, Executive), or null.</summary>
    public static DashboardRole? Parse(string? name) =>
        Enum.GetNames<DashboardRole>().Contains(name, StringComparer.Ordinal) ? Enum.Parse<DashboardRole>(name!) : null;
}

/// <summary>The rules for the dashboard's usernames and display names, shared by its configuration check and the hashing command.</summary>
public static partial class DashboardAccounts
{
    public const int MaxUsernameLength = 64;
    public const int MaxDisplayNameLength = 100;
    /// <summary>The shortest password <c>loanrecovery dashboard-user</c> hashes.</summary>
    public const int MinPasswordLength = 12;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]*$")]
    private static partial Regex UsernamePattern();

    /// <summary>Why this is not a username (letters, digits and <c>. _ @ -</c>, at most 64), or null.</summary>
    public static string? UsernameProblem(string? username) =>
        string.IsNullOrWhiteSpace(username) ? "is required"
        : username.Length > MaxUsernameLength ? $"is longer than {MaxUsernameLength} characters"
        : !UsernamePattern().IsMatch(username) ? "may hold only letters, digits and . _ @ - (starting with a letter or digit)"
        : null;

    /// <summary>Why this is not a display name (at most 100 characters, no control characters), or null. Empty is allowed.</summary>
    public static string? DisplayNameProblem(string? displayName) =>
        displayName is null ? null
        : displayName.Length > MaxDisplayNameLength ? $"is longer than {MaxDisplayNameLength} characters"
        : displayName.Any(char.IsControl) ? "holds a control character (a line break or tab)"
        : null;
}
