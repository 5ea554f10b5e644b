using System.Diagnostics;
using LoanRecovery.Simulator.Transport;

namespace LoanRecovery.Simulator.Tests;

public sealed class Payment_to_strategy_latency
{
    private static long At(double milliseconds) => (long)(milliseconds / 1000 * Stopwatch.Frequency);

    [Fact]
    public void Times_each_strategy_from_its_loans_latest_payment_and_only_once()
    {
        var latency = new PaymentToStrategyLatency();
        latency.PaymentPublished("L1", At(0));
        latency.PaymentPublished("L1", At(100));   // the loan's next payment replaces the first
        latency.PaymentPublished("L2", At(100));
        latency.StrategyHeard("L1", At(350));       // 250 ms after the latest payment
        latency.StrategyHeard("L1", At(900));       // a second strategy without a new payment is not timed
        latency.StrategyHeard("L3", At(900));       // a loan with no published payment is not timed

        Assert.Equal(1, latency.Count);
        Assert.Equal(250, latency.Percentile(0.99)!.Value, precision: 3);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_measurements()
    {
        var latency = new PaymentToStrategyLatency();
        for (var i = 1; i <= 100; i++)
        {
            latency.PaymentPublished("L" + i, At(0));
            latency.StrategyHeard("L" + i, At(i * 10));
        }

        var summary = latency.Summary();
        Assert.Equal(100, summary.Measured);
        Assert.Equal(500, summary.P50!.Value, precision: 3);
        Assert.Equal(950, summary.P95!.Value, precision: 3);
        Assert.Equal(990, summary.P99!.Value, precision: 3);
        Assert.Equal(1000, summary.Max!.Value, precision: 3);
    }

    [Fact]
    public void Nothing_measured_gives_no_percentile()
    {
        var latency = new PaymentToStrategyLatency();
        latency.PaymentPublished("L1", At(0));

        Assert.Null(latency.Summary().P99);
        Assert.Throws<ArgumentOutOfRangeException>(() => latency.Percentile(1.5));
    }
}
