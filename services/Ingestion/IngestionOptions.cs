using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.Ingestion;

/// <summary>Ingestion settings (section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Durable topic exchange core banking publishes to.</summary>
    [Required] public string CoreBankingExchange { get; set; } = "core-banking";
    [Required] public string LoanRoutingKey { get; set; } = "loan";
    /// <summary>
    /// Binding for payments. Core banking publishes a payment as <c>payment.&lt;loanId&gt;</c>, which the partitions are
    /// hashed on; a plain <c>payment</c> matches too, but then every payment hashes alike and lands in one partition.
    /// </summary>
    [Required] public string PaymentRoutingKey { get; set; } = "payment.#";
    /// <summary>Queue bound to the exchange for loans; its faults go to <c>{LoanQueue}_error</c>.</summary>
    [Required] public string LoanQueue { get; set; } = "ingestion-core-banking-loan";
    /// <summary>
    /// Base name of the payment partitions: the consistent-hash exchange <c>{PaymentQueue}-by-loan</c> bound to core
    /// banking's exchange, and the queues <c>{PaymentQueue}-p0</c> … bound to it (<see cref="PaymentPartitions"/>); a
    /// partition's faults go to its <c>_error</c> queue.
    /// </summary>
    [Required] public string PaymentQueue { get; set; } = "ingestion-core-banking-payment";
    /// <summary>
    /// Payment partitions: queues consumed side by side, each one payment at a time. The broker sends all of a loan's
    /// payments to one partition (a consistent hash of the routing key), in the order core banking published them, which the delinquency arithmetic depends on (a missed
    /// instalment then its cure read differently in the other order). More partitions, more loans at once.
    /// </summary>
    [Range(1, 64)] public int PaymentPartitions { get; set; } = 8;
    /// <summary>
    /// Payments the broker delivers ahead to each partition. They are still consumed one at a time, in order; waiting in
    /// the process instead of in the broker saves a round trip per payment.
    /// </summary>
    [Range(1, 1000)] public int PaymentPrefetch { get; set; } = 16;
    /// <summary>Largest CSV import body accepted, in bytes.</summary>
    [Range(1024, long.MaxValue)] public long MaxImportBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>
    /// Most data rows one import may hold (blank lines are not rows). A file with more is refused whole, nothing imported,
    /// naming the limit: one import is one transaction, and a bank's operator splitting the file at the limit gets the
    /// same result as one import (loans already known are left unchanged), which a partial import would not make plain.
    /// </summary>
    [Range(1, int.MaxValue)] public int MaxImportRows { get; set; } = 1_000_000;
    /// <summary>Rejections listed in an import response; all of them stay queryable at <c>/api/imports/{id}/rejections</c>.</summary>
    [Range(0, 100_000)] public int MaxRejectionsInResponse { get; set; } = 1000;
    /// <summary>Longest identifier or text cell accepted.</summary>
    [Range(8, 10_000)] public int MaxFieldLength { get; set; } = 200;
    /// <summary>Most loan and payment ids one reconciliation request may ask about (together).</summary>
    [Range(1, 100_000)] public int MaxReconciliationIds { get; set; } = 10_000;
}
