using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.Ingestion.Ledger;

public enum RecordResult { Created, AlreadyRecorded }

/// <summary>Thrown when a payment names a loan Ingestion does not know (yet).</summary>
public sealed class UnknownLoanException(string loanId) : Exception($"loanId: loan '{loanId}' is not known to Ingestion")
{
    public string LoanId { get; } = loanId;
}

/// <summary>
/// Records loans and payments, keeps each loan's delinquency current, and queues <see cref="LoanOpened"/> and
/// <see cref="PaymentRecorded"/> in the caller's unit of work. Loan and payment ids are business keys: the same
/// one twice has one effect.
/// </summary>
public sealed class LoanLedger(UnitOfWork<IngestionDbContext> unitOfWork, TimeProvider clock)
{
    private IngestionDbContext Db => unitOfWork.Db;

    public async Task<RecordResult> OpenLoanAsync(ValidLoan loan, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // ON CONFLICT makes a repeated or concurrent loan id a no-op: the second insert waits for the first to commit.
        await Db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO borrower (borrower_id, age, gender, employment_type, monthly_income, num_dependents, created_at)
             VALUES ({loan.BorrowerId}, {loan.Age}, {loan.Gender}, {loan.EmploymentType}, {loan.MonthlyIncome}, {loan.NumDependents}, {now})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        var inserted = await Db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO loan (loan_id, borrower_id, loan_amount, loan_tenure_months, interest_rate, loan_type, collateral_value,
                               initial_outstanding, monthly_emi, opened_on, outstanding_balance, arrears_amount, days_past_due,
                               missed_payments, source, created_at, updated_at)
             VALUES ({loan.LoanId}, {loan.BorrowerId}, {loan.LoanAmount}, {loan.LoanTenureMonths}, {loan.InterestRate}, {loan.LoanType},
                     {loan.CollateralValue}, {loan.OutstandingLoanAmount}, {loan.MonthlyEmi}, {loan.OpenedOn}, {loan.OutstandingLoanAmount},
                     0, 0, 0, {source}, {now}, {now})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        if (inserted == 0)
            return RecordResult.AlreadyRecorded;

        unitOfWork.Publish(new LoanOpened(loan.LoanId, loan.BorrowerId, loan.Age, loan.Gender, loan.EmploymentType, loan.MonthlyIncome,
            loan.NumDependents, loan.LoanAmount, loan.LoanTenureMonths, loan.InterestRate, loan.LoanType, loan.CollateralValue,
            loan.OutstandingLoanAmount, loan.MonthlyEmi, loan.OpenedOn, DaysPastDue: 0, MissedPayments: 0, PaymentHistory: null, now));
        return RecordResult.Created;
    }

    public async Task<RecordResult> RecordPaymentAsync(ValidPayment payment, string source, CancellationToken cancellationToken)
    {
        // Locking the loan row serialises payments of one loan, so no delinquency update is lost and a duplicate
        // payment id waiting here sees the first one once it commits.
        var loan = await Db.Loans
            .FromSql($"SELECT * FROM loan WHERE loan_id = {payment.LoanId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new UnknownLoanException(payment.LoanId);
        if (await Db.Payments.AnyAsync(p => p.PaymentId == payment.PaymentId, cancellationToken))
            return RecordResult.AlreadyRecorded;

        var before = new DelinquencyState(loan.OutstandingBalance, loan.ArrearsAmount, loan.OldestUnpaidDueDate, loan.MissedPayments, loan.DaysPastDue);
        var after = Delinquency.Apply(before, payment);
        var now = clock.GetUtcNow();
        loan.OutstandingBalance = after.Outstanding;
        loan.ArrearsAmount = after.Arrears;
        loan.OldestUnpaidDueDate = after.OldestUnpaidDueDate;
        loan.MissedPayments = after.MissedPayments;
        loan.DaysPastDue = after.DaysPastDue;
        loan.UpdatedAt = now;
        Db.Payments.Add(new Payment
        {
            PaymentId = payment.PaymentId,
            LoanId = payment.LoanId,
            DueDate = payment.DueDate,
            AmountDue = payment.AmountDue,
            AmountPaid = payment.AmountPaid,
            PaidOn = payment.PaidOn,
            DaysPastDueAfter = after.DaysPastDue,
            MissedPaymentsAfter = after.MissedPayments,
            ArrearsAfter = after.Arrears,
            OutstandingAfter = after.Outstanding,
            Source = source,
            RecordedAt = now,
        });
        unitOfWork.Publish(new PaymentRecorded(payment.PaymentId, payment.LoanId, loan.BorrowerId, payment.DueDate, payment.AmountDue,
            payment.AmountPaid, payment.PaidOn, after.DaysPastDue, after.MissedPayments, after.Arrears, after.Outstanding, now));
        return RecordResult.Created;
    }
}
