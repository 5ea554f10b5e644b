using LoanRecovery.Contracts;

namespace LoanRecovery.Segmentation.Domain;

/// <summary>What an incoming event must carry to be used; null when it is fine, else every problem by field.</summary>
public static class MessageChecks
{
    public static string? LoanOpened(LoanOpened loan)
    {
        var errors = new List<string>();
        Required(errors, "loanId", loan.LoanId);
        Required(errors, "borrowerId", loan.BorrowerId);
        NotNegative(errors, "monthlyIncome", loan.MonthlyIncome);
        NotNegative(errors, "loanAmount", loan.LoanAmount);
        NotNegative(errors, "collateralValue", loan.CollateralValue);
        NotNegative(errors, "outstandingLoanAmount", loan.OutstandingLoanAmount);
        NotNegative(errors, "monthlyEmi", loan.MonthlyEmi);
        NotNegative(errors, "missedPayments", loan.MissedPayments);
        NotNegative(errors, "daysPastDue", loan.DaysPastDue);
        return Join(errors);
    }

    public static string? PaymentRecorded(PaymentRecorded payment)
    {
        var errors = new List<string>();
        Required(errors, "paymentId", payment.PaymentId);
        Required(errors, "loanId", payment.LoanId);
        NotNegative(errors, "outstandingBalance", payment.OutstandingBalance);
        NotNegative(errors, "missedPayments", payment.MissedPayments);
        NotNegative(errors, "daysPastDue", payment.DaysPastDue);
        return Join(errors);
    }

    public static string? RecoveryOutcomeRecorded(RecoveryOutcomeRecorded outcome)
    {
        var errors = new List<string>();
        if (outcome.OutcomeId == Guid.Empty) errors.Add("outcomeId: is required");
        Required(errors, "loanId", outcome.LoanId);
        Required(errors, "borrowerId", outcome.BorrowerId);
        if (!Enum.IsDefined(outcome.Status)) errors.Add($"status: '{outcome.Status}' is not a recovery status");
        return Join(errors);
    }

    private static void Required(List<string> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add($"{field}: is required");
    }

    private static void NotNegative(List<string> errors, string field, decimal value)
    {
        if (value < 0) errors.Add($"{field}: must not be negative");
    }

    private static void NotNegative(List<string> errors, string field, int value)
    {
        if (value < 0) errors.Add($"{field}: must not be negative");
    }

    private static string? Join(List<string> errors) => errors.Count == 0 ? null : string.Join("; ", errors);
}
