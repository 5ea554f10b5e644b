using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.PerformanceTracking.Domain;
using LoanRecovery.PerformanceTracking.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanRecovery.PerformanceTracking.Endpoints;

public static class RecoveryOverTimeEndpoints
{
    public static WebApplication MapRecoveryOverTimeEndpoints(this WebApplication app)
    {
        app.MapGroup("/api/performance").WithTags("PerformanceTracking").RequireAuthorization(ServiceRoles.Staff)
            .MapGet("/recovery/over-time", OverTimeAsync)
            .WithSummary("Recovery rate (Wilson 95% CI) and amounts per strategy and period (day, week or month the episodes closed)");
        return app;
    }

    private static async Task<Results<Ok<RecoveryOverTimeView>, ValidationProblem>> OverTimeAsync(PerformanceQueries queries, string? period, CancellationToken ct)
    {
        if (!Enum.TryParse<RecoveryPeriod>(period ?? nameof(RecoveryPeriod.Month), ignoreCase: true, out var parsed) || int.TryParse(period, out _))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["period"] = [$"'{period}' is not one of {string.Join(", ", Enum.GetNames<RecoveryPeriod>().Select(n => n.ToLowerInvariant()))}"],
            });
        return TypedResults.Ok(RecoveryOverTime.Compute(parsed, await queries.ClosedEpisodesAsync(null, ct)));
    }
}
