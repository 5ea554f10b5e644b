using LoanRecovery.RiskScoring.Domain;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Persistence;

/// <summary>
/// The portfolio analytics, aggregated by PostgreSQL over RiskScoring's copy of each loan (its features now), the latest
/// recorded outcome of each loan (historical or observed) and each borrower's segment. Nothing here reads a row per loan
/// into memory except the bounded segment samples.
/// </summary>
public sealed class PortfolioAnalyticsQuery(RiskDbContext db)
{
    private sealed record Bounds(double? Low, double? High, int Loans);
    private sealed record Bucket(int Number, int Loans);
    private sealed record Band(int Number, double IncomeFrom, double IncomeTo, int Loans, double AverageLoanAmount);
    private sealed record CategoryRow(string Category, int SortKey, string Status, int Loans);
    private sealed record SpreadRow(string Status, int Loans, double[] MonthlyIncome, double[] LoanAmount);
    private sealed record SegmentRow(int SegmentId, string Label, int Borrowers);
    private sealed record PointRow(int SegmentId, double MonthlyIncome, double LoanAmount);

    // The latest outcome per loan: a loan observed again after a historical outcome counts once, with its newest status.
    private const string LatestOutcome =
        "SELECT DISTINCT ON (loan_id) loan_id, status FROM training_example ORDER BY loan_id, recorded_at DESC, outcome_id";

    public async Task<PortfolioAnalytics> RunAsync(PortfolioAnalyticsRequest request, CancellationToken ct)
    {
        var bounds = (await db.Database.SqlQueryRaw<Bounds>(
            """
            SELECT min(loan_amount)::float8 AS "Low", max(loan_amount)::float8 AS "High", count(*)::int AS "Loans"
            FROM loan_snapshot WHERE loan_amount IS NOT NULL
            """).ToListAsync(ct)).Single();

        IReadOnlyList<HistogramBin> distribution = [];
        if (bounds is { Low: { } low, High: { } high, Loans: > 0 })
        {
            var buckets = high > low
                ? await db.Database.SqlQuery<Bucket>(
                    $"""
                     SELECT least(width_bucket(loan_amount::float8, {low}, {high}, {request.Bins}), {request.Bins}) AS "Number", count(*)::int AS "Loans"
                     FROM loan_snapshot WHERE loan_amount IS NOT NULL GROUP BY 1
                     """).ToListAsync(ct)
                : [new Bucket(1, bounds.Loans)];
            distribution = Histogram.Bins(low, high, request.Bins, buckets.ToDictionary(b => b.Number, b => b.Loans));
        }

        var bands = await db.Database.SqlQuery<Band>(
            $"""
             SELECT band AS "Number", min(monthly_income)::float8 AS "IncomeFrom", max(monthly_income)::float8 AS "IncomeTo", count(*)::int AS "Loans",
                    avg(loan_amount)::float8 AS "AverageLoanAmount"
             FROM (SELECT monthly_income, loan_amount, ntile({request.IncomeBands}) OVER (ORDER BY monthly_income) AS band
                   FROM loan_snapshot WHERE monthly_income IS NOT NULL AND loan_amount IS NOT NULL) t
             GROUP BY band ORDER BY band
             """).ToListAsync(ct);

        var history = await db.Database.SqlQueryRaw<CategoryRow>(
            $"""
             SELECT coalesce(l.payment_history, 'Not recorded') AS "Category", 0 AS "SortKey", o.status AS "Status", count(*)::int AS "Loans"
             FROM ({LatestOutcome}) o JOIN loan_snapshot l ON l.loan_id = o.loan_id
             GROUP BY 1, 3 ORDER BY 1, 3
             """).ToListAsync(ct);

        var missed = await db.Database.SqlQuery<CategoryRow>(
            $"""
             SELECT '' AS "Category", least(coalesce(l.missed_payments, 0), {request.MissedPaymentsCap}) AS "SortKey", o.status AS "Status", count(*)::int AS "Loans"
             FROM (SELECT DISTINCT ON (loan_id) loan_id, status FROM training_example ORDER BY loan_id, recorded_at DESC, outcome_id) o
             JOIN loan_snapshot l ON l.loan_id = o.loan_id
             GROUP BY 2, 3 ORDER BY 2, 3
             """).ToListAsync(ct);

        var spreads = await db.Database.SqlQueryRaw<SpreadRow>(
            $"""
             SELECT o.status AS "Status", count(*)::int AS "Loans",
                    percentile_cont(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY l.monthly_income::float8) AS "MonthlyIncome",
                    percentile_cont(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY l.loan_amount::float8) AS "LoanAmount"
             FROM ({LatestOutcome}) o JOIN loan_snapshot l ON l.loan_id = o.loan_id
             WHERE l.monthly_income IS NOT NULL AND l.loan_amount IS NOT NULL
             GROUP BY o.status ORDER BY o.status
             """).ToListAsync(ct);

        // Segments of the newest segmentation model only: during a refit, borrowers not yet re-assigned keep an older model's numbering.
        var segments = await db.Database.SqlQueryRaw<SegmentRow>(
            """
            SELECT segment_id AS "SegmentId", min(segment_label) AS "Label", count(*)::int AS "Borrowers"
            FROM borrower_segment
            WHERE model_version = (SELECT model_version FROM borrower_segment ORDER BY updated_at DESC, borrower_id LIMIT 1)
            GROUP BY segment_id ORDER BY segment_id
            """).ToListAsync(ct);
        var points = request.SamplePerSegment == 0 ? [] : await db.Database.SqlQuery<PointRow>(
            $"""
             SELECT "SegmentId", "MonthlyIncome", "LoanAmount" FROM (
                 SELECT s.segment_id AS "SegmentId", l.monthly_income::float8 AS "MonthlyIncome", l.loan_amount::float8 AS "LoanAmount",
                        row_number() OVER (PARTITION BY s.segment_id ORDER BY md5(l.loan_id)) AS draw
                 FROM borrower_segment s JOIN loan_snapshot l ON l.borrower_id = s.borrower_id
                 WHERE s.model_version = (SELECT model_version FROM borrower_segment ORDER BY updated_at DESC, borrower_id LIMIT 1)
                   AND l.monthly_income IS NOT NULL AND l.loan_amount IS NOT NULL) t
             WHERE draw <= {request.SamplePerSegment}
             """).ToListAsync(ct);

        var pointsBySegment = points.ToLookup(p => p.SegmentId);
        return new PortfolioAnalytics(
            bounds.Loans,
            spreads.Sum(s => s.Loans),
            distribution,
            bands.Select(b => new IncomeBandAverage(b.IncomeFrom, b.IncomeTo, b.Loans, b.AverageLoanAmount)).ToList(),
            history.Select(h => new CategoryStatusCount(h.Category, h.Status, h.Loans)).ToList(),
            missed.Select(m => new CategoryStatusCount(Histogram.MissedPaymentsCategory(m.SortKey, request.MissedPaymentsCap), m.Status, m.Loans)).ToList(),
            spreads.Select(s => new StatusSpread(s.Status, s.Loans, s.MonthlyIncome, s.LoanAmount)).ToList(),
            segments.Select(s => new SegmentSample(s.SegmentId, s.Label, s.Borrowers,
                pointsBySegment[s.SegmentId].Select(p => new SegmentPoint(p.MonthlyIncome, p.LoanAmount)).ToList())).ToList(),
            request.SamplePerSegment);
    }
}
