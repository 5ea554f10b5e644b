using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanRecovery.RiskScoring.Endpoints;

public static class PortfolioEndpoints
{
    public static WebApplication MapPortfolioEndpoints(this WebApplication app)
    {
        app.MapGroup("/api/portfolio").WithTags("RiskScoring").RequireAuthorization(ServiceRoles.Staff)
            .MapGet("/analytics", AnalyticsAsync)
            .WithSummary("Portfolio analyses aggregated in the database: loan amount distribution and by income band, payment history and missed " +
                         "payments against the latest recovery status, income and amount spread by status, and a bounded sample per segment");
        return app;
    }

    private static async Task<Results<Ok<PortfolioAnalytics>, ValidationProblem>> AnalyticsAsync(PortfolioAnalyticsQuery query, CancellationToken ct,
        int bins = PortfolioAnalyticsRequest.DefaultBins, int incomeBands = PortfolioAnalyticsRequest.DefaultIncomeBands,
        int samplePerSegment = PortfolioAnalyticsRequest.DefaultSamplePerSegment, int missedPaymentsCap = PortfolioAnalyticsRequest.DefaultMissedPaymentsCap)
    {
        var request = new PortfolioAnalyticsRequest(bins, incomeBands, samplePerSegment, missedPaymentsCap);
        var errors = request.Validate();
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        return TypedResults.Ok(await query.RunAsync(request, ct));
    }
}
