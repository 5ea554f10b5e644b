namespace LoanRecovery.Ingestion.Ledger;

/// <summary>Where a loan or payment entered the system; stored with it for audit.</summary>
public static class LoanSource
{
    public const string Amqp = "amqp";
    public const string Http = "http";
    public const string Import = "import";
}
