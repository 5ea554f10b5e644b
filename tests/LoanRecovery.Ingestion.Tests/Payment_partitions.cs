using LoanRecovery.Ingestion.Consumers;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Payment_partitions
{
    [Fact]
    public void The_partitions_and_their_exchange_are_named_after_the_payment_queue()
    {
        var partitions = new PaymentPartitions("ingestion-core-banking-payment", 3);

        Assert.Equal("ingestion-core-banking-payment-by-loan", partitions.ExchangeName);
        Assert.Equal(["ingestion-core-banking-payment-p0", "ingestion-core-banking-payment-p1", "ingestion-core-banking-payment-p2"], partitions.QueueNames);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaymentPartitions("q", 0));
    }
}
