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
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<IngestionOptions>>().Value;
            return new PaymentPartitions(options.PaymentQueue, options.PaymentPartitions);
        });

        builder.AddServiceBus(
            bus =>
            {
                bus.AddConsumer<CoreBankingLoanConsumer>().ExcludeFromConfigureEndpoints();
                bus.AddConsumer<CoreBankingPaymentRouter>().ExcludeFromConfigureEndpoints();
                bus.AddConsumer<CoreBankingPaymentConsumer>().ExcludeFromConfigureEndpoints();
            },
            (context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<IngestionOptions>>().Value;
                rabbit.CoreBankingEndpoint<CoreBankingLoanConsumer>(context, options.LoanQueue, options.CoreBankingExchange, options.LoanRoutingKey, inOrderAhead: null);
                rabbit.CoreBankingEndpoint<CoreBankingPaymentRouter>(context, options.PaymentQueue, options.CoreBankingExchange, options.PaymentRoutingKey,
                    inOrderAhead: options.PaymentPrefetch);
                foreach (var queue in context.GetRequiredService<PaymentPartitions>().QueueNames)
                    rabbit.ReceiveEndpoint(queue, endpoint =>
                    {
                        InOrder(endpoint, options.PaymentPrefetch);
                        endpoint.ConfigureConsumeTopology = false;
                        endpoint.UseServiceRetry(context);
                        endpoint.ConfigureConsumer<CoreBankingPaymentConsumer>(context);
                    });
            });
        return builder;
    }

    /// <summary>
    /// A queue bound to core banking's topic exchange that reads plain JSON (no MassTransit envelope) into the
    /// consumer's message type; its faults, malformed JSON included, are parked in <c>{queue}_error</c>.
    /// </summary>
    private static void CoreBankingEndpoint<TConsumer>(this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context,
        string queue, string exchange, string routingKey, int? inOrderAhead) where TConsumer : class, IConsumer
    {
        rabbit.ReceiveEndpoint(queue, endpoint =>
        {
            if (inOrderAhead is { } prefetch)
                InOrder(endpoint, prefetch);
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

    /// <summary>
    /// One message consumed at a time, so in queue order: the next starts only when the last has been consumed, retries
    /// included. With more than one in flight MassTransit hands them to the consumer in no fixed order (a partitioner behind
    /// them sees them as they arrive). <paramref name="prefetch"/> deliveries wait in the process, which saves a broker round
    /// trip between messages without changing their order.
    /// </summary>
    private static void InOrder(IRabbitMqReceiveEndpointConfigurator endpoint, int prefetch)
    {
        endpoint.PrefetchCount = prefetch;
        endpoint.ConcurrentMessageLimit = 1;
    }
}
