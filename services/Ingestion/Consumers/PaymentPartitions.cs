using System.Text;

namespace LoanRecovery.Ingestion.Consumers;

/// <summary>
/// The payment partitions: queues <c>{PaymentQueue}-p0</c> … <c>-p{N-1}</c>, each consumed one message at a time. Every
/// payment of a loan goes to the same partition, so loans are applied side by side while each loan's payments keep the
/// order core banking published them in.
/// </summary>
public sealed class PaymentPartitions(string paymentQueue, int count)
{
    public int Count { get; } = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "at least one partition");

    public string QueueName(int partition) => $"{paymentQueue}-p{partition}";

    public IEnumerable<string> QueueNames => Enumerable.Range(0, Count).Select(QueueName);

    /// <summary>The partition queue a loan's payments go to.</summary>
    public string QueueOf(string loanId) => QueueName(Of(loanId));

    /// <summary>
    /// The partition of a loan: FNV-1a of its id's UTF-8 bytes, modulo the count. Stable across processes and restarts
    /// (unlike <see cref="string.GetHashCode()"/>), so every Ingestion instance routes a loan to the same queue. Changing the
    /// count while payments are queued may reorder the loans that move; drain the partitions first.
    /// </summary>
    public int Of(string loanId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(loanId))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)Count);
    }
}
