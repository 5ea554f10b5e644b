using LoanRecovery.ServiceDefaults.Security;
using MassTransit;
using LoanRecovery.RiskScoring.Consumers;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.RiskScoring.Scoring;
using LoanRecovery.RiskScoring.Training;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace LoanRecovery.RiskScoring;

public static class RiskScoringServiceExtensions
{
    public static WebApplicationBuilder AddRiskScoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RiskScoringOptions>().BindConfiguration(RiskScoringOptions.Section)
            .WithDefaultUnknownLoanRetryIntervals().ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.AddServiceDatabase<RiskDbContext>();
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddScoped<ModelRegistry>();
        builder.Services.AddScoped<PaymentScoring>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RiskScoringOptions>>().Value;
            return new RiskScorer(new BandThresholds(options.MediumThreshold, options.HighThreshold), options.ReasonCount);
        });
        builder.Services.AddSingleton<TrainingLock>();
        builder.Services.AddScoped<ModelRetrainer>();
        builder.Services.AddScoped<PortfolioAnalyticsQuery>();
        builder.Services.AddHttpClient<DriftClient>((sp, http) =>
        {
            var configured = sp.GetRequiredService<IOptions<RiskScoringOptions>>().Value.PerformanceTrackingUrl;
            var address = string.IsNullOrWhiteSpace(configured) ? builder.Configuration["services:performancetracking:http:0"] : configured;
            if (!string.IsNullOrWhiteSpace(address))
                http.BaseAddress = new Uri(address.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        }).AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<ServiceTokenHandler>(sp, ServiceRoles.Analyst));
        builder.Services.AddHostedService<ColdStartTrainer>();
        builder.Services.AddHostedService<RetrainScheduler>();
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<LoanOpenedConsumer>();
            // A payment can overtake its loan (different queues; a backlog after an import): wait for the loan much longer
            // than the general retries before parking the payment.
            bus.AddConsumerWaitingForTheLoan<PaymentRecordedConsumer, UnknownLoanException, RiskScoringOptions>();
            bus.AddConsumer<BorrowerSegmentedConsumer>();
            bus.AddConsumer<RecoveryOutcomeRecordedConsumer>();
        });
        return builder;
    }
}
