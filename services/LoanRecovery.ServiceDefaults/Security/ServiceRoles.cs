using Microsoft.AspNetCore.Authorization;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// The roles a token may carry and the authorization policies the endpoints require. <c>admin</c> passes every policy.
/// </summary>
public static class ServiceRoles
{
    /// <summary>Core banking systems: imports, loans and payments.</summary>
    public const string Ingest = "ingest";
    /// <summary>Collection officers: the work queue, outcomes, overrides, compliance flags.</summary>
    public const string Collector = "collector";
    /// <summary>Analysts: what-if, models and retraining, segments, performance, policies.</summary>
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Collector, Analyst, Admin];

    /// <summary>Policy: reading decisions, tasks, models and figures (officers and analysts).</summary>
    public const string Staff = "staff";
    /// <summary>Policy: reading what Ingestion recorded (core banking checking its imports, or staff).</summary>
    public const string IngestOrStaff = "ingest-or-staff";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Ingest, p => p.RequireAuthenticatedUser().RequireRole(Ingest, Admin));
        options.AddPolicy(Collector, p => p.RequireAuthenticatedUser().RequireRole(Collector, Admin));
        options.AddPolicy(Analyst, p => p.RequireAuthenticatedUser().RequireRole(Analyst, Admin));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Admin));
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Collector, Analyst, Admin));
        options.AddPolicy(IngestOrStaff, p => p.RequireAuthenticatedUser().RequireRole(Ingest, Collector, Analyst, Admin));
    }
}
