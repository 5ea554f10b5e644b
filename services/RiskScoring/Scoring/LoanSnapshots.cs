using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;

namespace LoanRecovery.RiskScoring.Scoring;

public static class LoanSnapshots
{
    public static LoanFacts Facts(this LoanSnapshot loan) => new(loan.Age, loan.EmploymentType, loan.MonthlyIncome, loan.NumDependents,
        loan.LoanAmount, loan.LoanTenureMonths, loan.InterestRate, loan.LoanType, loan.CollateralValue, loan.OutstandingBalance,
        loan.MonthlyEmi, loan.PaymentHistory, loan.MissedPayments, loan.DaysPastDue);
}

/// <summary>Thrown when an event names a loan RiskScoring has not seen; the message is retried, then parked with this reason.</summary>
public sealed class UnknownLoanException(string loanId)
    : Exception($"Loan '{loanId}' is not known to RiskScoring (no LoanOpened received for it)");
