using LoanRecovery.PerformanceTracking.Consumers;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.PerformanceTracking.Tracking;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;

namespace LoanRecovery.PerformanceTracking;

public static class PerformanceTrackingServiceExtensions
{
    public static WebApplicationBuilder AddPerformanceTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PerformanceTrackingOptions>().BindConfiguration(PerformanceTrackingOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.AddServiceDatabase<PerformanceDbContext>();
        builder.Services.AddScoped<EpisodeTracker>();
        builder.Services.AddScoped<PerformanceQueries>();
        builder.Services.AddScoped<PolicyLoop>();
        builder.Services.AddSingleton<DriftMonitor>();
        builder.Services.AddHostedService<EpisodeCloser>();
        builder.Services.AddHostedService<DriftRefresher>();
        builder.Services.AddHostedService<PolicyLoopService>();
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<RiskScoredConsumer>();
            bus.AddConsumer<StrategyAssignedConsumer>();
            bus.AddConsumer<PaymentRecordedConsumer>();
            bus.AddConsumer<CollectionTaskCompletedConsumer>();
        });
        return builder;
    }
}
