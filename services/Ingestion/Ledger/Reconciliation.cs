using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.Ingestion.Ledger;

/// <summary>The ids core banking sent and wants confirmed.</summary>
public sealed record ReconciliationRequest(IReadOnlyList<string>? LoanIds, IReadOnlyList<string>? PaymentIds);

/// <summary>How many of the ids asked about are recorded, and which are not (in the order asked).</summary>
public sealed record ReconciliationResult(int LoansAsked, int LoansRecorded, IReadOnlyList<string> MissingLoanIds,
    int PaymentsAsked, int PaymentsRecorded, IReadOnlyList<string> MissingPaymentIds);

/// <summary>
/// Core banking's check that what it published was recorded: one indexed lookup per kind for a whole batch of ids, so that
/// a sender confirming thousands of payments does not ask for each loan's history one by one.
/// </summary>
public static class Reconciliation
{
    /// <summary>The request's ids, checked (none empty or over the field length) and without repeats; null with the errors added.</summary>
    public static (string[] LoanIds, string[] PaymentIds)? Validate(ReconciliationRequest request, int maxFieldLength, FieldErrors errors)
    {
        var loans = request.LoanIds ?? [];
        var payments = request.PaymentIds ?? [];
        if (loans.Count == 0 && payments.Count == 0)
            errors.Add("loanIds", "loanIds or paymentIds must name at least one id");
        Check("loanIds", loans, maxFieldLength, errors);
        Check("paymentIds", payments, maxFieldLength, errors);
        return errors.IsEmpty ? (loans.Distinct(StringComparer.Ordinal).ToArray(), payments.Distinct(StringComparer.Ordinal).ToArray()) : null;
    }

    private static void Check(string field, IReadOnlyList<string> ids, int maxFieldLength, FieldErrors errors)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
                errors.Add($"{field}[{i}]", "must not be empty");
            else if (ids[i].Length > maxFieldLength)
                errors.Add($"{field}[{i}]", $"must be at most {maxFieldLength} characters", $"longer than {maxFieldLength} characters");
        }
    }

    public static async Task<ReconciliationResult> ReconcileAsync(this IngestionDbContext db, string[] loanIds, string[] paymentIds,
        CancellationToken cancellationToken)
    {
        var loans = loanIds.Length == 0 ? [] : await db.Loans.AsNoTracking()
            .Where(l => loanIds.Contains(l.LoanId)).Select(l => l.LoanId).ToHashSetAsync(StringComparer.Ordinal, cancellationToken);
        var payments = paymentIds.Length == 0 ? [] : await db.Payments.AsNoTracking()
            .Where(p => paymentIds.Contains(p.PaymentId)).Select(p => p.PaymentId).ToHashSetAsync(StringComparer.Ordinal, cancellationToken);
        return new ReconciliationResult(
            loanIds.Length, loans.Count, loanIds.Where(id => !loans.Contains(id)).ToList(),
            paymentIds.Length, payments.Count, paymentIds.Where(id => !payments.Contains(id)).ToList());
    }
}
