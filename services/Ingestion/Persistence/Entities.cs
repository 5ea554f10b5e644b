namespace LoanRecovery.Ingestion.Persistence;

public sealed class Borrower
{
    public string BorrowerId { get; set; } = "";
    public int Age { get; set; }
    public string Gender { get; set; } = "";
    public string EmploymentType { get; set; } = "";
    public decimal MonthlyIncome { get; set; }
    public int NumDependents { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Loan
{
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public decimal LoanAmount { get; set; }
    public int LoanTenureMonths { get; set; }
    public decimal InterestRate { get; set; }
    public string LoanType { get; set; } = "";
    public decimal CollateralValue { get; set; }
    /// <summary>Balance owed when the loan entered the system.</summary>
    public decimal InitialOutstanding { get; set; }
    public decimal MonthlyEmi { get; set; }
    public DateOnly? OpenedOn { get; set; }
    public decimal OutstandingBalance { get; set; }
    public decimal ArrearsAmount { get; set; }
    public DateOnly? OldestUnpaidDueDate { get; set; }
    public int DaysPastDue { get; set; }
    public int MissedPayments { get; set; }
    public string? PaymentHistory { get; set; }
    /// <summary>Where the loan came from: import, amqp or http.</summary>
    public string Source { get; set; } = "";
    public Guid? ImportId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class Payment
{
    public string PaymentId { get; set; } = "";
    public string LoanId { get; set; } = "";
    public DateOnly DueDate { get; set; }
    public decimal AmountDue { get; set; }
    public decimal AmountPaid { get; set; }
    public DateOnly? PaidOn { get; set; }
    public int DaysPastDueAfter { get; set; }
    public int MissedPaymentsAfter { get; set; }
    public decimal ArrearsAfter { get; set; }
    public decimal OutstandingAfter { get; set; }
    public string Source { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>The recovery outcome a lender's history carries for an imported loan; never a risk feature.</summary>
public sealed class HistoricalOutcome
{
    public string LoanId { get; set; } = "";
    public string RecoveryStatus { get; set; } = "";
    public int CollectionAttempts { get; set; }
    public string CollectionMethod { get; set; } = "";
    public bool LegalActionTaken { get; set; }
    public Guid ImportId { get; set; }
}

public sealed class ImportRun
{
    public Guid ImportId { get; set; }
    public string? FileName { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int RowsRead { get; set; }
    public int Accepted { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }
    public string Status { get; set; } = "";
    public string? Error { get; set; }
}

public sealed class ImportRejection
{
    public Guid ImportId { get; set; }
    /// <summary>Line number in the file (the header is line 1), as a spreadsheet shows it.</summary>
    public int RowNumber { get; set; }
    public string ColumnName { get; set; } = "";
    public string Reason { get; set; } = "";
}
