namespace LoanRecovery.Contracts;

/// <summary>
/// A loan as a core banking system sends it: plain camelCase JSON published to the durable topic
/// exchange <c>core-banking</c> with routing key <c>loan</c>, or posted to <c>POST /api/loans</c>.
/// Every field is nullable so that a missing field is reported by name instead of read as zero.
/// </summary>
public sealed record CoreBankingLoan
{
    /// <summary>The lender's loan identifier (business key, e.g. <c>LN_1</c>).</summary>
    public string? LoanId { get; init; }
    /// <summary>The lender's borrower identifier (business key, e.g. <c>BRW_1</c>).</summary>
    public string? BorrowerId { get; init; }
    /// <summary>Borrower age in whole years (18–100).</summary>
    public int? Age { get; init; }
    /// <summary>Borrower gender as recorded by the lender: <c>Male</c>, <c>Female</c> or <c>Other</c>.</summary>
    public string? Gender { get; init; }
    /// <summary>Employment type: <c>Salaried</c>, <c>Self-Employed</c>, <c>Business Owner</c> or <c>Unemployed</c>.</summary>
    public string? EmploymentType { get; init; }
    /// <summary>Monthly income in the loan's currency.</summary>
    public decimal? MonthlyIncome { get; init; }
    /// <summary>Number of financial dependents.</summary>
    public int? NumDependents { get; init; }
    /// <summary>Principal lent, in the loan's currency.</summary>
    public decimal? LoanAmount { get; init; }
    /// <summary>Contractual tenure in months.</summary>
    public int? LoanTenureMonths { get; init; }
    /// <summary>Annual interest rate in percent (12.39 means 12.39% a year).</summary>
    public decimal? InterestRate { get; init; }
    /// <summary>Loan product: <c>Home</c>, <c>Auto</c>, <c>Personal</c> or <c>Business</c>.</summary>
    public string? LoanType { get; init; }
    /// <summary>Market value of the collateral, in the loan's currency (0 when unsecured).</summary>
    public decimal? CollateralValue { get; init; }
    /// <summary>Balance still owed when the loan is sent, in the loan's currency.</summary>
    public decimal? OutstandingLoanAmount { get; init; }
    /// <summary>Contractual monthly instalment (equated monthly instalment), in the loan's currency.</summary>
    public decimal? MonthlyEmi { get; init; }
    /// <summary>Date the loan was disbursed.</summary>
    public DateOnly? OpenedOn { get; init; }
}

/// <summary>
/// One instalment as a core banking system reports it: plain camelCase JSON published to the durable
/// topic exchange <c>core-banking</c> with routing key <c>payment</c>, or posted to <c>POST /api/payments</c>.
/// </summary>
public sealed record CoreBankingPayment
{
    /// <summary>The lender's identifier of this payment record (business key: the same id twice has one effect).</summary>
    public string? PaymentId { get; init; }
    /// <summary>The loan this instalment belongs to.</summary>
    public string? LoanId { get; init; }
    /// <summary>Date the instalment fell due.</summary>
    public DateOnly? DueDate { get; init; }
    /// <summary>Amount that was due on <see cref="DueDate"/>, in the loan's currency.</summary>
    public decimal? AmountDue { get; init; }
    /// <summary>Amount actually paid, in the loan's currency (0 when missed).</summary>
    public decimal? AmountPaid { get; init; }
    /// <summary>Date the money was received; null when the instalment was missed.</summary>
    public DateOnly? PaidOn { get; init; }
}
