namespace LoanRecovery.Dashboard.Pages;

/// <summary>The values the services accept, for the pages' select lists (the services validate them again).</summary>
public static class Vocabulary
{
    public static readonly string[] Strategies = ["Reminder", "Settlement", "LegalAction"];
    public static readonly string[] TaskStatuses = ["Open", "Claimed", "Completed", "Cancelled"];
    public static readonly string[] TaskOutcomes = ["PromiseToPay", "Paid", "Refused", "Unreachable", "Dispute", "SettlementAccepted"];
    public static readonly string[] EmploymentTypes = ["Salaried", "Self-Employed", "Business Owner", "Unemployed"];
    public static readonly string[] LoanTypes = ["Personal", "Home", "Auto", "Business"];
    public static readonly string[] PaymentHistories = ["On-Time", "Delayed", "Missed"];

    /// <summary>"PromiseToPay" → "Promise to pay".</summary>
    public static string Words(string name) => ApiErrors.Words(name);
}
