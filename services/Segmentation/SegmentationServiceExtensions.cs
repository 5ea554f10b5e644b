using LoanRecovery.Segmentation.Consumers;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.Segmentation.Segments;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;

namespace LoanRecovery.Segmentation;

public static class SegmentationServiceExtensions
{
    public static WebApplicationBuilder AddSegmentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SegmentationOptions>().BindConfiguration(SegmentationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddServiceDatabase<SegmentationDbContext>();
        builder.Services.AddScoped<SegmentationEngine>();
        builder.Services.AddHostedService<FirstFitService>();

        // Queues are prefixed with the service name by ServiceDefaults (segmentation-loan-opened, ...).
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<LoanOpenedConsumer>();
            bus.AddConsumer<PaymentRecordedConsumer>();
            bus.AddConsumer<RecoveryOutcomeRecordedConsumer>();
        });
        return builder;
    }
}
