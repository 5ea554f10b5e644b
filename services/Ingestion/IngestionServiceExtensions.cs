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
    /// <summary>Points each partition holds on the consistent-hash ring: more points, a more even spread of loans.</summary>
    private const string HashRingWeight = "20";

    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
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
                bus.AddConsumer<CoreBankingPaymentConsumer>().ExcludeFromConfigureEndpoints();
            },
            (context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<IngestionOptions>>().Value;
                var partitions = context.GetRequiredService<PaymentPartitions>();
                rabbit.ReceiveEndpoint(options.LoanQueue, endpoint =>
                {
                    endpoint.CoreBanking(context);
                    endpoint.Bind(options.CoreBankingExchange, binding =>
                    {
                        binding.ExchangeType = "topic";
                        binding.Durable = true;
                        binding.RoutingKey = options.LoanRoutingKey;
                    });
                    endpoint.ConfigureConsumer<CoreBankingLoanConsumer>(context);
                });
                foreach (var queue in partitions.QueueNames)
                    rabbit.ReceiveEndpoint(queue, endpoint =>
                    {
                        InOrder(endpoint, options.PaymentPrefetch);
                        endpoint.CoreBanking(context);
                        // core-banking (topic, payment.#) → {PaymentQueue}-by-loan (consistent hash of the routing key,
                        // payment.<loanId>) → this partition: a loan's payments always reach the same partition.
                        endpoint.Bind(partitions.ExchangeName, byLoan =>
                        {
                            byLoan.ExchangeType = "x-consistent-hash";
                            byLoan.Durable = true;
                            byLoan.RoutingKey = HashRingWeight;
                            byLoan.Bind(options.CoreBankingExchange, coreBanking =>
                            {
                                coreBanking.ExchangeType = "topic";
                                coreBanking.Durable = true;
                                coreBanking.RoutingKey = options.PaymentRoutingKey;
                            });
                        });
                        endpoint.ConfigureConsumer<CoreBankingPaymentConsumer>(context);
                    });
            });
        return builder;
    }

    /// <summary>
    /// A queue of core banking's: plain JSON (no MassTransit envelope) read into the consumer's message type; faults,
    /// malformed JSON included, are parked in <c>{queue}_error</c>.
    /// </summary>
    private static void CoreBanking(this IRabbitMqReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.UseServiceRetry(context);
    }

    /// <summary>
    /// One message consumed at a time, so in queue order: the next starts only when the last has been consumed, retries
    /// included. With more than one in flight MassTransit hands them to the consumer in no fixed order (its in-process
    /// partitioner sees them as they arrive). <paramref name="prefetch"/> deliveries wait in the process, which saves a
    /// broker round trip between messages without changing their order.
    /// </summary>
    private static void InOrder(IRabbitMqReceiveEndpointConfigurator endpoint, int prefetch)
    {
        endpoint.PrefetchCount = prefetch;
        endpoint.ConcurrentMessageLimit = 1;
    }
}
