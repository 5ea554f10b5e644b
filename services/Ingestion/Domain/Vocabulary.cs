namespace LoanRecovery.Ingestion.Domain;

/// <summary>The categorical values the lender's data uses. Matching ignores case; the stored value is canonical.</summary>
public static class Vocabulary
{
    public static readonly string[] Genders = ["Male", "Female", "Other"];
    public static readonly string[] EmploymentTypes = ["Salaried", "Self-Employed", "Business Owner", "Unemployed"];
    public static readonly string[] LoanTypes = ["Home", "Auto", "Personal", "Business"];
    public static readonly string[] PaymentHistories = ["On-Time", "Delayed", "Missed"];
    public static readonly string[] RecoveryStatuses = ["Fully Recovered", "Partially Recovered", "Written Off"];
    public static readonly string[] CollectionMethods = ["Calls", "Settlement Offer", "Legal Notice", "Debt Collectors"];
    public static readonly string[] YesNo = ["Yes", "No"];

    public static string? Canonical(string[] allowed, string? value)
    {
        if (value is null)
            return null;
        var trimmed = value.Trim();
        return Array.Find(allowed, a => string.Equals(a, trimmed, StringComparison.OrdinalIgnoreCase));
    }

    public static string Describe(string[] allowed) => string.Join(", ", allowed);
}
