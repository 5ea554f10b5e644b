using System.ComponentModel.DataAnnotations;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Tests;

public sealed class Waiting_for_the_loan
{
    public sealed class PaymentConsumerOptions : IWaitForUnknownLoans
    {
        [MinLength(1)] public TimeSpan[] UnknownLoanRetryIntervals { get; set; } = [];
    }

    private static PaymentConsumerOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<PaymentConsumerOptions>().BindConfiguration("Service").WithDefaultUnknownLoanRetryIntervals().ValidateDataAnnotationsSerially();
        return services.BuildServiceProvider().GetRequiredService<IOptions<PaymentConsumerOptions>>().Value;
    }

    [Fact]
    public void Without_configured_intervals_the_payment_waits_the_default_two_minutes()
    {
        var options = Bind([]);

        Assert.Equal(WaitingForTheLoan.DefaultIntervals, options.UnknownLoanRetryIntervals);
        Assert.Equal(TimeSpan.FromSeconds(102), options.UnknownLoanRetryIntervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + i));
    }

    [Fact]
    public void Configured_intervals_replace_the_defaults_instead_of_being_appended_to_them()
    {
        var options = Bind(new() { ["Service:UnknownLoanRetryIntervals:0"] = "00:00:00.050", ["Service:UnknownLoanRetryIntervals:1"] = "00:00:05" });

        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)], options.UnknownLoanRetryIntervals);
    }
}
