using LoanRecovery.Segmentation.Consumers;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;

namespace LoanRecovery.Segmentation;

public static class SegmentationServiceExtensions
{
    public static WebApplicationBuilder AddSegmentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SegmentationOptions>().BindConfiguration(SegmentationOptions.Section)
            .WithDefaultUnknownLoanRetryIntervals().ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.AddServiceDatabase<SegmentationDbContext>();
        builder.Services.AddScoped<SegmentationEngine>();
        builder.Services.AddHostedService<FirstFitService>();

        // Queues are prefixed with the service name by ServiceDefaults (segmentation-loan-opened, ...).
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<LoanOpenedConsumer>();
            // A payment can overtake its loan's LoanOpened (another queue): it waits for the loan, as RiskScoring's does,
            // before the general retry policy parks it.
            bus.AddConsumerWaitingForTheLoan<PaymentRecordedConsumer, UnknownLoanException, SegmentationOptions>();
            bus.AddConsumer<RecoveryOutcomeRecordedConsumer>();
        });
        return builder;
    }
}
