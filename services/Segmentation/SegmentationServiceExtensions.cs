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
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        // Kebab-case endpoints through ConfigureEndpoints, prefixed with the service name (segmentation-loan-opened,
        // segmentation-payment-recorded, segmentation-recovery-outcome-recorded): other services consume the same events
        // with consumers of the same names, and a shared queue would split the events between them instead of giving
        // each service its own copy.
        var prefix = builder.Configuration[$"{ServiceOptions.Section}:Name"] is { Length: > 0 } name ? name : "Segmentation";
        var endpoints = new KebabCaseEndpointNameFormatter(prefix, includeNamespace: false);
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<LoanOpenedConsumer>().Endpoint(e => e.Name = endpoints.Consumer<LoanOpenedConsumer>());
            bus.AddConsumer<PaymentRecordedConsumer>().Endpoint(e => e.Name = endpoints.Consumer<PaymentRecordedConsumer>());
            bus.AddConsumer<RecoveryOutcomeRecordedConsumer>().Endpoint(e => e.Name = endpoints.Consumer<RecoveryOutcomeRecordedConsumer>());
        });
        return builder;
    }
}
