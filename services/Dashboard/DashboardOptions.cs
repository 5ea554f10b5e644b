using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.Dashboard;

/// <summary>
/// Where the services are. Bound from the keys .NET service discovery uses (<c>services:&lt;name&gt;:http:0</c>), which
/// <c>run.sh</c> exports for every service it starts; validated at start so a missing address stops the dashboard with the
/// key named instead of failing on the first page.
/// </summary>
public sealed class ServiceAddresses
{
    [Required, AbsoluteHttpUrl] public string? Ingestion { get; set; }
    [Required, AbsoluteHttpUrl] public string? Segmentation { get; set; }
    [Required, AbsoluteHttpUrl] public string? RiskScoring { get; set; }
    [Required, AbsoluteHttpUrl] public string? StrategyAssignment { get; set; }
    [Required, AbsoluteHttpUrl] public string? PerformanceTracking { get; set; }

    /// <summary>The configuration key of a service's address, as run.sh exports it (name lower-cased).</summary>
    public static string KeyOf(string service) => $"services:{service.ToLowerInvariant()}:http:0";

    public static void Bind(ServiceAddresses addresses, IConfiguration configuration)
    {
        addresses.Ingestion = configuration[KeyOf(nameof(Ingestion))];
        addresses.Segmentation = configuration[KeyOf(nameof(Segmentation))];
        addresses.RiskScoring = configuration[KeyOf(nameof(RiskScoring))];
        addresses.StrategyAssignment = configuration[KeyOf(nameof(StrategyAssignment))];
        addresses.PerformanceTracking = configuration[KeyOf(nameof(PerformanceTracking))];
    }
}

/// <summary>The dashboard's own settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Tasks per page of the work queue (the API allows 1 to 500).</summary>
    [Range(1, 500)] public int TaskPageSize { get; set; } = 25;

    /// <summary>How long the dashboard waits for a service before showing that it did not answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")] public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Grouping period of the executive view's recovery over time: day, week or month.</summary>
    [Required, RegularExpression("^(day|week|month)$")] public string RecoveryPeriod { get; set; } = "day";
}

/// <summary>An absolute http or https URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUrlAttribute : ValidationAttribute
{
    public AbsoluteHttpUrlAttribute() : base("{0} must be an absolute http(s) URL, e.g. http://127.0.0.1:5101") { }

    public override bool IsValid(object? value) =>
        value is null || value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
