namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>A message a consumer has processed; unique on (message id, consumer).</summary>
public sealed class InboxState
{
    public Guid MessageId { get; set; }
    public string ConsumerId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}
