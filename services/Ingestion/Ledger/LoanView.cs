using LoanRecovery.Ingestion.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.Ingestion.Ledger;

public sealed record PaymentView(string PaymentId, DateOnly DueDate, decimal AmountDue, decimal AmountPaid, DateOnly? PaidOn,
    int DaysPastDue, int MissedPayments, decimal ArrearsAmount, decimal OutstandingBalance, DateTimeOffset RecordedAt);

public sealed record DelinquencyView(int DaysPastDue, int MissedPayments, decimal ArrearsAmount, DateOnly? OldestUnpaidDueDate,
    decimal OutstandingBalance, bool IsDelinquent, string? PaymentHistory);

public sealed record BorrowerView(string BorrowerId, int Age, string Gender, string EmploymentType, decimal MonthlyIncome, int NumDependents);

public sealed record LoanView(string LoanId, BorrowerView Borrower, decimal LoanAmount, int LoanTenureMonths, decimal InterestRate,
    string LoanType, decimal CollateralValue, decimal InitialOutstanding, decimal MonthlyEmi, DateOnly? OpenedOn, string Source,
    DelinquencyView Delinquency, IReadOnlyList<PaymentView> Payments);

public static class LoanQueries
{
    public static async Task<LoanView?> FindLoanAsync(this IngestionDbContext db, string loanId, CancellationToken cancellationToken)
    {
        var loan = await db.Loans.AsNoTracking().SingleOrDefaultAsync(l => l.LoanId == loanId, cancellationToken);
        if (loan is null)
            return null;
        var borrower = await db.Borrowers.AsNoTracking().SingleAsync(b => b.BorrowerId == loan.BorrowerId, cancellationToken);
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.LoanId == loanId)
            .OrderBy(p => p.DueDate).ThenBy(p => p.RecordedAt)
            .Select(p => new PaymentView(p.PaymentId, p.DueDate, p.AmountDue, p.AmountPaid, p.PaidOn, p.DaysPastDueAfter,
                p.MissedPaymentsAfter, p.ArrearsAfter, p.OutstandingAfter, p.RecordedAt))
            .ToListAsync(cancellationToken);
        return new LoanView(loan.LoanId,
            new BorrowerView(borrower.BorrowerId, borrower.Age, borrower.Gender, borrower.EmploymentType, borrower.MonthlyIncome, borrower.NumDependents),
            loan.LoanAmount, loan.LoanTenureMonths, loan.InterestRate, loan.LoanType, loan.CollateralValue, loan.InitialOutstanding,
            loan.MonthlyEmi, loan.OpenedOn, loan.Source,
            new DelinquencyView(loan.DaysPastDue, loan.MissedPayments, loan.ArrearsAmount, loan.OldestUnpaidDueDate, loan.OutstandingBalance,
                loan.DaysPastDue > 0 || loan.MissedPayments > 0, loan.PaymentHistory),
            payments);
    }
}
