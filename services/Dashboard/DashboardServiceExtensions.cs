using LoanRecovery.Dashboard.Clients;
using LoanRecovery.Dashboard.SignIn;
using LoanRecovery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard;

public static class DashboardServiceExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.Services.AddOptions<ServiceAddresses>().Configure<IConfiguration>(ServiceAddresses.Bind).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.AddDashboardSignIn();
        builder.Services.AddSingleton<HandlerRolesFilter>();
        builder.Services.AddRazorPages().AddMvcOptions(mvc => mvc.Filters.AddService<HandlerRolesFilter>());
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<SignedInUserTokenHandler>();

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
        }).AddHttpMessageHandler<SignedInUserTokenHandler>();

    /// <summary>
    /// The pipeline, in an order that matters: static assets first (the stylesheet and chart library are public, served before
    /// sign-in is required), then ServiceDefaults' error handling, authentication and authorization (every page needs a
    /// signed-in user), then the pages.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapServiceDefaults();
        app.UseAntiforgery();
        app.MapRazorPages();
        return app;
    }
}
