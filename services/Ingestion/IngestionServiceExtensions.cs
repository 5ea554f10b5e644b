using LoanRecovery.Ingestion.Consumers;
using LoanRecovery.Ingestion.Import;
using LoanRecovery.Ingestion.Ledger;
using LoanRecovery.Ingestion.Persistence;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Ingestion;

public static class IngestionServiceExtensions
{
    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddServiceDatabase<IngestionDbContext>();
        builder.Services.AddScoped<LoanLedger>();
        builder.Services.AddScoped<PortfolioImporter>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        builder.AddServiceBus(
            bus =>
            {
                bus.AddConsumer<CoreBankingLoanConsumer>().ExcludeFromConfigureEndpoints();
                bus.AddConsumer<CoreBankingPaymentConsumer>().ExcludeFromConfigureEndpoints();
            },
            (context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<IngestionOptions>>().Value;
                rabbit.CoreBankingEndpoint<CoreBankingLoanConsumer>(context, options.LoanQueue, options.CoreBankingExchange, options.LoanRoutingKey, null);
                rabbit.CoreBankingEndpoint<CoreBankingPaymentConsumer>(context, options.PaymentQueue, options.CoreBankingExchange, options.PaymentRoutingKey,
                    options.PaymentConcurrency);
            });
        return builder;
    }

    /// <summary>
    /// A queue bound to core banking's topic exchange that reads plain JSON (no MassTransit envelope) into the
    /// consumer's message type; its faults, malformed JSON included, are parked in <c>{queue}_error</c>.
    /// </summary>
    private static void CoreBankingEndpoint<TConsumer>(this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context,
        string queue, string exchange, string routingKey, int? concurrency) where TConsumer : class, IConsumer
    {
        rabbit.ReceiveEndpoint(queue, endpoint =>
        {
            if (concurrency is { } limit)
            {
                endpoint.PrefetchCount = limit;
                endpoint.ConcurrentMessageLimit = limit;
            }
            endpoint.ConfigureConsumeTopology = false;
            endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
            endpoint.Bind(exchange, binding =>
            {
                binding.ExchangeType = "topic";
                binding.Durable = true;
                binding.RoutingKey = routingKey;
            });
            endpoint.UseServiceRetry(context);
            endpoint.ConfigureConsumer<TConsumer>(context);
        });
    }
}
