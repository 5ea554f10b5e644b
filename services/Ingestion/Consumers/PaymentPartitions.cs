namespace LoanRecovery.Ingestion.Consumers;

/// <summary>
/// The payment partitions: queues <c>{PaymentQueue}-p0</c> … <c>-p{N-1}</c>, each bound to the consistent-hash exchange
/// <c>{PaymentQueue}-by-loan</c> and consumed one message at a time. Core banking publishes a payment with routing key
/// <c>payment.&lt;loanId&gt;</c>; the broker hashes that key, so every payment of a loan lands in the same partition, in the
/// order published, while different loans spread over the partitions and are applied side by side.
/// </summary>
public sealed class PaymentPartitions(string paymentQueue, int count)
{
    public int Count { get; } = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "at least one partition");

    /// <summary>The consistent-hash exchange bound to core banking's exchange, which picks a payment's partition.</summary>
    public string ExchangeName => $"{paymentQueue}-by-loan";

    public string QueueName(int partition) => $"{paymentQueue}-p{partition}";

    public IEnumerable<string> QueueNames => Enumerable.Range(0, Count).Select(QueueName);
}
