namespace LoanRecovery.Dashboard.Session;

public enum DashboardRole { Officer, Analyst, Executive }

/// <summary>
/// Who is using the dashboard: a name (the officer identifier the work queue records) and a role, chosen on the page and
/// kept in a cookie. This identifies, it does not authenticate: the services have no identity provider to check it
/// against, so a deployment puts the dashboard behind the bank's own sign-in.
/// </summary>
public sealed record ActingUser(string Name, DashboardRole Role)
{
    public const string CookieName = "lr-dashboard-user";
    public const int MaxNameLength = 100;

    public static ActingUser? From(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var value) ? Parse(value) : null;

    public static ActingUser? Parse(string? value)
    {
        var parts = value?.Split('|', 2);
        if (parts is not [var role, var name] || !Enum.TryParse<DashboardRole>(role, ignoreCase: false, out var parsed) ||
            string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
            return null;
        return new ActingUser(name, parsed);
    }

    public string CookieValue => $"{Role}|{Name}";
}
