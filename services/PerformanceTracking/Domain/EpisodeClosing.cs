using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>A payment as the episode sees it: what was paid, and the balance and arrears it left (arrears unknown: null).</summary>
public sealed record PaymentFact(DateTimeOffset RecordedAt, decimal AmountPaid, decimal OutstandingBalance, decimal? Arrears = null);

/// <summary>A completed collection task and what it cost.</summary>
public sealed record ContactFact(DateTimeOffset CompletedAt, string Action, decimal Cost);

/// <summary>How episodes are classified.</summary>
/// <param name="ClearedBalance">A balance, or arrears, at or below this counts as cleared.</param>
/// <param name="PartialMinimumShare">Below this share of the opening balance recovered, the episode is written off rather than partially recovered.</param>
public sealed record ClosingRules(decimal ClearedBalance, decimal PartialMinimumShare);

/// <summary>How and when an episode closed.</summary>
public sealed record EpisodeClose(
    RecoveryStatus Status,
    DateTimeOffset ClosedAt,
    string Reason,
    decimal? OpeningBalance,
    decimal AmountRecovered,
    decimal ContactCost,
    int Contacts,
    bool LegalReferral,
    int DaysToRecover);

/// <summary>
/// Decides whether a recovery episode is over and how it ended. The episode starts at the assignment and covers the payments
/// recorded after it up to the close: the first payment that leaves the balance cleared closes it as fully recovered; otherwise
/// it closes when the observation window ends: fully recovered when the last payment of the window left the arrears cleared
/// (the loan is current again: what a historical outcome calls fully recovered), else partially recovered or written off by
/// the share of the opening balance recovered. The opening balance is the outstanding balance after the last payment recorded at or before the assignment
/// (or, when none was seen, the first later payment's balance plus its amount).
/// </summary>
public static class EpisodeClosing
{
    public static EpisodeClose? TryClose(DateTimeOffset assignedAt, DateTimeOffset windowEndsAt, DateTimeOffset now,
        IEnumerable<PaymentFact> loanPayments, IEnumerable<ContactFact> loanContacts, ClosingRules rules)
    {
        var payments = loanPayments.OrderBy(p => p.RecordedAt).ToList();
        var before = payments.LastOrDefault(p => p.RecordedAt <= assignedAt);
        var during = payments.Where(p => p.RecordedAt > assignedAt && p.RecordedAt <= windowEndsAt).ToList();
        decimal? opening = before?.OutstandingBalance ?? (during.Count > 0 ? during[0].OutstandingBalance + during[0].AmountPaid : null);

        var cleared = during.FirstOrDefault(p => p.OutstandingBalance <= rules.ClearedBalance);
        DateTimeOffset closedAt;
        RecoveryStatus status;
        string reason;
        if (cleared is not null)
        {
            closedAt = cleared.RecordedAt;
            status = RecoveryStatus.FullyRecovered;
            reason = "balance cleared";
        }
        else if (now >= windowEndsAt)
        {
            closedAt = windowEndsAt;
            if (during.Count > 0 && during[^1].Arrears is { } arrears && arrears <= rules.ClearedBalance)
            {
                status = RecoveryStatus.FullyRecovered;
                reason = "observation window ended with the arrears cleared";
            }
            else
            {
                status = RecoveryStatus.WrittenOff; // refined below
                reason = "observation window ended";
            }
        }
        else
            return null;

        var counted = during.Where(p => p.RecordedAt <= closedAt).ToList();
        decimal recovered = counted.Sum(p => p.AmountPaid);
        if (status != RecoveryStatus.FullyRecovered)
        {
            bool enough = opening is > 0m ? recovered >= opening.Value * rules.PartialMinimumShare && recovered > 0 : recovered > 0;
            status = enough ? RecoveryStatus.PartiallyRecovered : RecoveryStatus.WrittenOff;
        }
        var contacts = loanContacts.Where(c => c.CompletedAt > assignedAt && c.CompletedAt <= closedAt).ToList();
        int days = (int)Math.Floor((closedAt - assignedAt).TotalDays);
        return new EpisodeClose(status, closedAt, reason, opening, recovered, contacts.Sum(c => c.Cost), contacts.Count,
            contacts.Any(c => c.Action.Equals("LegalReferral", StringComparison.OrdinalIgnoreCase)), days);
    }
}
