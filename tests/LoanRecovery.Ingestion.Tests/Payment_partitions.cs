using LoanRecovery.Ingestion.Consumers;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Payment_partitions
{
    private static readonly string[] LoanIds = [.. Enumerable.Range(1, 4000).Select(i => $"LN_{i:D6}")];

    [Fact]
    public void A_loan_always_goes_to_the_same_partition_whatever_the_instance()
    {
        var first = new PaymentPartitions("payments", 8);
        var second = new PaymentPartitions("payments", 8);

        Assert.All(LoanIds, id => Assert.Equal(first.QueueOf(id), second.QueueOf(id)));
        // The published FNV-1a test vectors (32-bit): "a" → 0xe40c292c, "foobar" → 0xbf9cf968. A hash seeded per
        // process (string.GetHashCode) would send a loan to another partition after a restart.
        var thousand = new PaymentPartitions("payments", 1000);
        Assert.Equal(0xe40c292cu % 1000, (uint)thousand.Of("a"));
        Assert.Equal(0xbf9cf968u % 1000, (uint)thousand.Of("foobar"));
    }

    [Fact]
    public void Loans_spread_over_every_partition_roughly_evenly()
    {
        var partitions = new PaymentPartitions("payments", 8);

        var counts = LoanIds.GroupBy(partitions.Of).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(Enumerable.Range(0, 8), counts.Keys.Order());
        Assert.All(counts.Values, count => Assert.InRange(count, 4000 / 8 * 0.8, 4000 / 8 * 1.2));
    }

    [Fact]
    public void Partition_queues_are_named_after_the_payment_queue()
    {
        var partitions = new PaymentPartitions("ingestion-core-banking-payment", 3);

        Assert.Equal(["ingestion-core-banking-payment-p0", "ingestion-core-banking-payment-p1", "ingestion-core-banking-payment-p2"], partitions.QueueNames);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaymentPartitions("q", 0));
    }
}
