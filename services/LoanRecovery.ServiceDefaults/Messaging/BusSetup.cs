using LoanRecovery.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Messaging;

public static class BusSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ: kebab-case endpoints, durable queues, publisher confirms, the retry policy from
    /// <see cref="MessagingOptions"/> (validation failures are not retried), faults parked in <c>_error</c>
    /// queues, and a host that waits until the bus is started so no early publish goes to an unbound exchange.
    /// </summary>
    public static void AddServiceBus(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> registerConsumers,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBroker = null)
    {
        builder.Services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section)
            .PostConfigure(o => o.RetryIntervals = o.RetryIntervals is { Length: > 0 } configured ? configured : [.. MessagingOptions.DefaultRetryIntervals])
            .ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        // Queues are named after the service and the consumer (ingestion-…, risk-scoring-payment-recorded): services
        // consume the same events with consumers of the same names, and a shared queue would split the events between
        // them instead of giving each service its own copy.
        var serviceName = builder.ServiceName();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            // MassTransit reports usage to its vendor over the internet unless told not to; a bank's services make no calls
            // it has not chosen (and the failed attempt was a warning in every service's log on a closed network).
            bus.ConfigureUsageTelemetryOptions(t => t.Enabled = false);
            bus.ConfigureHealthCheckOptions(h =>
            {
                h.Name = "bus";
                h.Tags.Add("ready");
            });
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseServiceRetry(context));
            registerConsumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.PublisherConfirmation = true;
                    // Named after the service, so that the broker (its management UI, `rabbitmqctl list_connections`) says
                    // which service a connection belongs to, even when several share a process.
                    host.ConnectionName(serviceName);
                });
                rabbit.PrefetchCount = options.PrefetchCount;
                configureBroker?.Invoke(context, rabbit);
                rabbit.ConfigureEndpoints(context);
            });
        });
    }

    /// <summary>
    /// The retry policy every receive endpoint uses, including hand-configured ones: a failure is retried at
    /// <see cref="MessagingOptions.RetryIntervals"/> (validation failures are not), then the message is parked; inside that,
    /// a failure that says the database is unavailable makes the message wait for it instead, tried again every
    /// <see cref="MessagingOptions.DatabaseUnavailableRetryInterval"/> for up to <see cref="MessagingOptions.DatabaseUnavailableWaitLimit"/>.
    /// </summary>
    public static void UseServiceRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<MessageValidationException>();
            // Left to the policy below, which waits for the database: a few quick retries end long before a restart does.
            retry.Ignore<Exception>(DatabaseUnavailable.Is);
            retry.Intervals(options.RetryIntervals);
        });
        var waits = (int)Math.Ceiling(options.DatabaseUnavailableWaitLimit / options.DatabaseUnavailableRetryInterval);
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(DatabaseUnavailable.Is);
            retry.Interval(waits, options.DatabaseUnavailableRetryInterval);
        });
    }
}
