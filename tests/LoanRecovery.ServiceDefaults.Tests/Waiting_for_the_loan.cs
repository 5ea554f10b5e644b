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

    // Options that use the helper start with no intervals (as Segmentation's and RiskScoring's do), so binding has
    // nothing to append configured items to; this checks that the helper then leaves them alone and adds no default.
    [Fact]
    public void Configured_intervals_are_taken_as_they_are_without_the_defaults()
    {
        var options = Bind(new() { ["Service:UnknownLoanRetryIntervals:0"] = "00:00:00.050", ["Service:UnknownLoanRetryIntervals:1"] = "00:00:05" });

        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)], options.UnknownLoanRetryIntervals);
    }
}
