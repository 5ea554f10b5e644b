using LoanRecovery.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>A person who may sign in (an element of <c>Dashboard:Users</c>). The password is stored only as its hash.</summary>
public sealed class DashboardUser
{
    public string Username { get; set; } = "";
    /// <summary>The name shown on the page; the username when empty.</summary>
    public string? DisplayName { get; set; }
    /// <summary>Officer, Analyst or Executive (text, so a wrong value is named by the validation instead of failing the binding).</summary>
    public string Role { get; set; } = "";
    /// <summary>PBKDF2 hash in ASP.NET Core Identity's v3 format (<see cref="PasswordHashes"/>); <c>loanrecovery dashboard-user</c> makes one.</summary>
    public string PasswordHash { get; set; } = "";

    public string Shown => string.IsNullOrWhiteSpace(DisplayName) ? Username : DisplayName;
}

/// <summary>The users of the dashboard (section <c>Dashboard</c>, key <c>Users</c>): none, one or many.</summary>
public sealed class DashboardUsersOptions
{
    public List<DashboardUser> Users { get; set; } = [];
}

/// <summary>
/// Checks every configured user at start (and on a configuration reload) and names each problem with its key, e.g.
/// <c>Dashboard:Users:1:PasswordHash is not a password hash …</c>, so a plaintext password or a typo in a role stops the
/// dashboard instead of locking someone out at run time.
/// </summary>
public sealed class DashboardUsersValidator : IValidateOptions<DashboardUsersOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardUsersOptions options)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var key = $"{DashboardOptions.Section}:Users:{i}";
            if (DashboardAccounts.UsernameProblem(user.Username) is { } usernameProblem)
                problems.Add($"{key}:Username {usernameProblem}");
            else if (!seen.Add(user.Username))
                problems.Add($"{key}:Username '{user.Username}' appears more than once (usernames are compared ignoring case)");
            if (DashboardAccounts.DisplayNameProblem(user.DisplayName) is { } displayNameProblem)
                problems.Add($"{key}:DisplayName {displayNameProblem}");
            if (DashboardRoles.Parse(user.Role) is null)
                problems.Add($"{key}:Role '{user.Role}' is not one of {string.Join(", ", Enum.GetNames<DashboardRole>())}");
            if (PasswordHashes.Problem(user.PasswordHash) is { } hashProblem)
                problems.Add($"{key}:PasswordHash {hashProblem} (make one with: loanrecovery dashboard-user)");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
