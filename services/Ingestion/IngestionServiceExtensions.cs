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
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

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
                rabbit.CoreBankingEndpoint<CoreBankingLoanConsumer>(context, options.LoanQueue, options.CoreBankingExchange, options.LoanRoutingKey, oneAtATime: false);
                rabbit.CoreBankingEndpoint<CoreBankingPaymentRouter>(context, options.PaymentQueue, options.CoreBankingExchange, options.PaymentRoutingKey, oneAtATime: true);
                foreach (var queue in context.GetRequiredService<PaymentPartitions>().QueueNames)
                    rabbit.ReceiveEndpoint(queue, endpoint =>
                    {
                        OneAtATime(endpoint);
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
        string queue, string exchange, string routingKey, bool oneAtATime) where TConsumer : class, IConsumer
    {
        rabbit.ReceiveEndpoint(queue, endpoint =>
        {
            if (oneAtATime)
                OneAtATime(endpoint);
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
    /// One delivery at a time, the next only after the last is acknowledged: the only setting under which MassTransit
    /// hands messages to the consumer in queue order (with more in flight they race to the consumer, and a partitioner
    /// behind them sees them in whatever order they arrive).
    /// </summary>
    private static void OneAtATime(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        endpoint.PrefetchCount = 1;
        endpoint.ConcurrentMessageLimit = 1;
    }
}
