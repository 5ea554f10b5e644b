using LoanRecovery.Dashboard.Clients;
using LoanRecovery.Dashboard.Session;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard;

public static class DashboardServiceExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ServiceAddresses>().Configure<IConfiguration>(ServiceAddresses.Bind).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRazorPages();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ActingUserTokenHandler>();

        AddServiceClient<IngestionClient>(builder, a => a.Ingestion);
        AddServiceClient<SegmentationClient>(builder, a => a.Segmentation);
        AddServiceClient<RiskScoringClient>(builder, a => a.RiskScoring);
        AddServiceClient<StrategyAssignmentClient>(builder, a => a.StrategyAssignment);
        AddServiceClient<PerformanceTrackingClient>(builder, a => a.PerformanceTracking);
        return builder;
    }

    private static void AddServiceClient<TClient>(WebApplicationBuilder builder, Func<ServiceAddresses, string?> address) where TClient : class =>
        builder.Services.AddHttpClient<TClient>((sp, http) =>
        {
            http.BaseAddress = new Uri(address(sp.GetRequiredService<IOptions<ServiceAddresses>>().Value)!.TrimEnd('/') + "/");
            http.Timeout = sp.GetRequiredService<IOptions<DashboardOptions>>().Value.ServiceTimeout;
        }).AddHttpMessageHandler<ActingUserTokenHandler>();

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAntiforgery();
        app.MapRazorPages();
        return app;
    }
}
