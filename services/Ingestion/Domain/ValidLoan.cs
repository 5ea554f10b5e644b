using LoanRecovery.Contracts;

namespace LoanRecovery.Ingestion.Domain;

/// <summary>A loan whose every field passed validation; categorical values are canonical.</summary>
public sealed record ValidLoan(
    string LoanId,
    string BorrowerId,
    int Age,
    string Gender,
    string EmploymentType,
    decimal MonthlyIncome,
    int NumDependents,
    decimal LoanAmount,
    int LoanTenureMonths,
    decimal InterestRate,
    string LoanType,
    decimal CollateralValue,
    decimal OutstandingLoanAmount,
    decimal MonthlyEmi,
    DateOnly? OpenedOn);

/// <summary>A payment whose every field passed validation.</summary>
public sealed record ValidPayment(
    string PaymentId,
    string LoanId,
    DateOnly DueDate,
    decimal AmountDue,
    decimal AmountPaid,
    DateOnly? PaidOn);

/// <summary>Limits applied to free-text identifiers.</summary>
public sealed record TextLimits(int MaxFieldLength);

/// <summary>The rules a core banking loan and payment must meet, shared by AMQP, HTTP and the CSV import.</summary>
public static class CoreBankingRules
{
    public static ValidLoan? Validate(CoreBankingLoan loan, TextLimits limits, FieldErrors errors)
    {
        var loanId = Identifier(loan.LoanId, "loanId", limits, errors);
        var borrowerId = Identifier(loan.BorrowerId, "borrowerId", limits, errors);
        var age = Range(loan.Age, "age", 18, 120, errors);
        var gender = Category(loan.Gender, "gender", Vocabulary.Genders, errors);
        var employment = Category(loan.EmploymentType, "employmentType", Vocabulary.EmploymentTypes, errors);
        var income = NonNegative(loan.MonthlyIncome, "monthlyIncome", errors);
        var dependents = Range(loan.NumDependents, "numDependents", 0, 30, errors);
        var amount = Positive(loan.LoanAmount, "loanAmount", errors);
        var tenure = Range(loan.LoanTenureMonths, "loanTenureMonths", 1, 600, errors);
        var rate = DecimalRange(loan.InterestRate, "interestRate", 0m, 100m, errors);
        var loanType = Category(loan.LoanType, "loanType", Vocabulary.LoanTypes, errors);
        var collateral = NonNegative(loan.CollateralValue, "collateralValue", errors);
        var outstanding = NonNegative(loan.OutstandingLoanAmount, "outstandingLoanAmount", errors);
        var emi = NonNegative(loan.MonthlyEmi, "monthlyEmi", errors);
        if (!errors.IsEmpty)
            return null;
        return new ValidLoan(loanId!, borrowerId!, age!.Value, gender!, employment!, income!.Value, dependents!.Value,
            amount!.Value, tenure!.Value, rate!.Value, loanType!, collateral!.Value, outstanding!.Value, emi!.Value, loan.OpenedOn);
    }

    public static ValidPayment? Validate(CoreBankingPayment payment, TextLimits limits, FieldErrors errors)
    {
        var paymentId = Identifier(payment.PaymentId, "paymentId", limits, errors);
        var loanId = Identifier(payment.LoanId, "loanId", limits, errors);
        if (payment.DueDate is null)
            errors.Add("dueDate", "is required");
        var due = NonNegative(payment.AmountDue, "amountDue", errors);
        var paid = NonNegative(payment.AmountPaid, "amountPaid", errors);
        if (paid > 0 && payment.PaidOn is null)
            errors.Add("paidOn", $"is required when amountPaid is above 0 (was {paid}); a missed instalment has amountPaid 0 and paidOn null",
                "is required when amountPaid is above 0; a missed instalment has amountPaid 0 and paidOn null");
        if (!errors.IsEmpty)
            return null;
        return new ValidPayment(paymentId!, loanId!, payment.DueDate!.Value, due!.Value, paid!.Value, payment.PaidOn);
    }

    private static string? Identifier(string? value, string field, TextLimits limits, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > limits.MaxFieldLength)
            errors.Add(field, $"is longer than {limits.MaxFieldLength} characters");
        else if (trimmed.Any(char.IsControl))
            errors.Add(field, "contains control characters");
        return trimmed;
    }

    private static string? Category(string? value, string field, string[] allowed, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
            return null;
        }
        var canonical = Vocabulary.Canonical(allowed, value);
        if (canonical is null)
            errors.Add(field, $"'{Shorten(value)}' is not one of: {Vocabulary.Describe(allowed)}", $"is not one of: {Vocabulary.Describe(allowed)}");
        return canonical;
    }

    private static int? Range(int? value, string field, int min, int max, FieldErrors errors)
    {
        if (value is null)
            errors.Add(field, "is required");
        else if (value < min || value > max)
            errors.Add(field, $"must be between {min} and {max} (was {value})", $"must be between {min} and {max}");
        return value;
    }

    private static decimal? DecimalRange(decimal? value, string field, decimal min, decimal max, FieldErrors errors)
    {
        if (value is null)
            errors.Add(field, "is required");
        else if (value < min || value > max)
            errors.Add(field, $"must be between {min} and {max} (was {value})", $"must be between {min} and {max}");
        return value;
    }

    private static decimal? NonNegative(decimal? value, string field, FieldErrors errors)
    {
        if (value is null)
            errors.Add(field, "is required");
        else if (value < 0)
            errors.Add(field, $"must not be negative (was {value})", "must not be negative");
        return value;
    }

    private static decimal? Positive(decimal? value, string field, FieldErrors errors)
    {
        if (value is null)
            errors.Add(field, "is required");
        else if (value <= 0)
            errors.Add(field, $"must be above 0 (was {value})", "must be above 0");
        return value;
    }

    internal static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
