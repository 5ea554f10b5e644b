using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>Options of a service whose payments can arrive before their loan's <c>LoanOpened</c>.</summary>
public interface IWaitForUnknownLoans
{
    /// <summary>
    /// How long a payment waits for its loan's <c>LoanOpened</c> (another queue, which can be behind: a backlog after an
    /// import) before it is parked. Empty in configuration means <see cref="WaitingForTheLoan.DefaultIntervals"/>.
    /// </summary>
    TimeSpan[] UnknownLoanRetryIntervals { get; set; }
}

/// <summary>The "wait for the payment's loan" retry that Segmentation and RiskScoring share.</summary>
public static class WaitingForTheLoan
{
    public static IReadOnlyList<TimeSpan> DefaultIntervals { get; } =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)];

    /// <summary>
    /// Fills in <see cref="DefaultIntervals"/> when the configuration lists none. Done after binding, because binding a
    /// list appends the configured items to the initial ones instead of replacing them.
    /// </summary>
    public static OptionsBuilder<TOptions> WithDefaultUnknownLoanRetryIntervals<TOptions>(this OptionsBuilder<TOptions> options)
        where TOptions : class, IWaitForUnknownLoans =>
        options.PostConfigure(o => o.UnknownLoanRetryIntervals = o.UnknownLoanRetryIntervals is { Length: > 0 } configured ? configured : [.. DefaultIntervals]);

    /// <summary>
    /// Registers a payment consumer that retries <typeparamref name="TUnknownLoan"/> at the options' intervals, before the
    /// general retry policy parks the message.
    /// </summary>
    public static void AddConsumerWaitingForTheLoan<TConsumer, TUnknownLoan, TOptions>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
        where TUnknownLoan : Exception
        where TOptions : class, IWaitForUnknownLoans =>
        bus.AddConsumer<TConsumer>((context, consumer) => consumer.UseMessageRetry(retry =>
        {
            retry.Handle<TUnknownLoan>();
            retry.Intervals(context.GetRequiredService<IOptions<TOptions>>().Value.UnknownLoanRetryIntervals);
        }));
}
