namespace LoanRecovery.Ingestion.Domain;

/// <summary>A loan's repayment position.</summary>
/// <param name="Outstanding">Balance owed.</param>
/// <param name="Arrears">Amount due and not paid.</param>
/// <param name="OldestUnpaidDueDate">Due date of the oldest instalment still (partly) unpaid; null when nothing is overdue.</param>
/// <param name="MissedPayments">Instalments missed outright so far.</param>
/// <param name="DaysPastDue">Days from <paramref name="OldestUnpaidDueDate"/> to the last payment's effective date.</param>
public sealed record DelinquencyState(decimal Outstanding, decimal Arrears, DateOnly? OldestUnpaidDueDate, int MissedPayments, int DaysPastDue)
{
    public bool IsDelinquent => DaysPastDue > 0 || MissedPayments > 0;

    /// <summary>
    /// The position of a loan that enters the system with a known delinquency (an imported portfolio): the
    /// missed instalments are in arrears, and the oldest of them fell due <paramref name="daysPastDue"/> days ago.
    /// </summary>
    public static DelinquencyState Imported(decimal outstanding, decimal monthlyEmi, int missedPayments, int daysPastDue, DateOnly asOf)
    {
        var arrears = Math.Min(outstanding, missedPayments * monthlyEmi);
        DateOnly? oldest = arrears > 0 || daysPastDue > 0 ? asOf.AddDays(-daysPastDue) : null;
        return new DelinquencyState(outstanding, arrears, oldest, missedPayments, daysPastDue);
    }
}

public static class Delinquency
{
    /// <summary>
    /// Applies one instalment. A payment of 0 (or none) is a missed instalment; a shortfall adds to arrears and an
    /// overpayment pays them down. Money is allocated to the oldest instalments first, so the arrears are the most recent
    /// instalments left unpaid: the oldest unpaid due date is as many instalments back from this one as the arrears
    /// cover (never earlier than it already was). Days past due run from it to the payment's effective date (the day
    /// paid, or the due date when missed), and return to 0 once arrears are cleared.
    /// </summary>
    public static DelinquencyState Apply(DelinquencyState state, ValidPayment payment)
    {
        var missed = payment.PaidOn is null || payment.AmountPaid == 0;
        var outstanding = Math.Max(0, state.Outstanding - payment.AmountPaid);
        var arrears = Math.Min(outstanding, state.Arrears + payment.AmountDue - payment.AmountPaid);
        DateOnly? oldest = null;
        var daysPastDue = 0;
        if (arrears > 0)
        {
            var instalmentsUnpaid = payment.AmountDue > 0 ? (int)Math.Ceiling(arrears / payment.AmountDue) : 1;
            var covered = payment.DueDate.AddMonths(-(instalmentsUnpaid - 1));
            oldest = state.OldestUnpaidDueDate is { } earlier && earlier > covered ? earlier : covered;
            var effective = payment.PaidOn ?? payment.DueDate;
            daysPastDue = Math.Max(0, effective.DayNumber - oldest.Value.DayNumber);
        }
        else
        {
            arrears = 0;
        }
        return new DelinquencyState(outstanding, arrears, oldest, state.MissedPayments + (missed ? 1 : 0), daysPastDue);
    }
}
