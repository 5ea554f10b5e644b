using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>The configured users, read on every use so an edited configuration (reloaded) applies at once.</summary>
public sealed class UserDirectory(IOptionsMonitor<DashboardUsersOptions> options)
{
    /// <summary>The user with this username, ignoring case, or null.</summary>
    public DashboardUser? Find(string? username) =>
        string.IsNullOrEmpty(username) ? null
        : options.CurrentValue.Users.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));

    public int Count => options.CurrentValue.Users.Count;
}
