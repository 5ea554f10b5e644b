using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.RiskScoring.Training;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Scoring;

public enum ScoringOutcome { Scored, NotDelinquent, AlreadyScored }

/// <summary>
/// Keeps a loan's delinquency current from each payment and, when the loan is delinquent, scores it once per
/// payment and queues <see cref="RiskScored"/> with the reasons, the input snapshot and the model version.
/// </summary>
public sealed class PaymentScoring(UnitOfWork<RiskDbContext> unitOfWork, ModelRegistry registry, RiskScorer scorer, TimeProvider clock)
{
    public static readonly Meter Meter = new("LoanRecovery.RiskScoring");
    private static readonly Histogram<double> ScoringDuration =
        Meter.CreateHistogram<double>("loanrecovery.risk.scoring.duration", "ms", "Feature building, calibrated scoring and TreeSHAP reasons for one event");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RiskDbContext Db => unitOfWork.Db;

    public async Task<ScoringOutcome> OnPaymentAsync(PaymentRecorded payment, CancellationToken cancellationToken)
    {
        var loan = await Db.Loans.SingleOrDefaultAsync(l => l.LoanId == payment.LoanId, cancellationToken)
            ?? throw new UnknownLoanException(payment.LoanId);
        // Payments of one loan can be consumed out of order (concurrent deliveries, retries): only a payment recorded
        // after the one already applied moves the loan's position; an older one is scored on the newer position.
        if (loan.LastPaymentRecordedAt is null || payment.RecordedAt >= loan.LastPaymentRecordedAt)
        {
            loan.OutstandingBalance = payment.OutstandingBalance;
            loan.MissedPayments = payment.MissedPayments;
            loan.DaysPastDue = payment.DaysPastDue;
            loan.LastPaymentRecordedAt = payment.RecordedAt;
        }
        loan.UpdatedAt = clock.GetUtcNow();
        var facts = loan.Facts();
        if (!facts.IsDelinquent)
            return ScoringOutcome.NotDelinquent;
        if (await Db.Scores.AnyAsync(s => s.LoanId == payment.LoanId && s.PaymentId == payment.PaymentId, cancellationToken))
            return ScoringOutcome.AlreadyScored;

        var champion = await registry.ChampionAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var assessment = champion is null ? null : scorer.Score(champion, facts.ToFeatures());
        ScoringDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var segment = await Db.Segments.AsNoTracking().SingleOrDefaultAsync(s => s.BorrowerId == loan.BorrowerId, cancellationToken);

        var scored = Record(loan.LoanId, loan.BorrowerId, payment.PaymentId, assessment ?? Unscored(facts), champion, segment);
        unitOfWork.Publish(scored);
        return ScoringOutcome.Scored;
    }

    /// <summary>Before any model exists a delinquent loan still gets a score event, marked not usable, so the strategy applies its rules.</summary>
    private static RiskAssessment Unscored(LoanFacts facts) =>
        new(0.5, RiskBand.Medium, [], 0, 0, new Dictionary<string, double>(), facts.ToFeatures());

    private RiskScored Record(string loanId, string borrowerId, string paymentId, RiskAssessment assessment, ScoringModel? champion, BorrowerSegment? segment)
    {
        var scored = new RiskScored(Guid.NewGuid(), loanId, borrowerId, paymentId, assessment.Probability, assessment.Band, assessment.Reasons,
            segment?.SegmentId, segment?.SegmentLabel, champion?.Version ?? "none", champion?.Usable ?? false, assessment.Features,
            clock.GetUtcNow(), assessment.ExpectedValue, assessment.RawScore, assessment.Contributions);
        Db.Scores.Add(new ScoreRecord
        {
            ScoreId = scored.ScoreId,
            LoanId = loanId,
            BorrowerId = borrowerId,
            PaymentId = paymentId,
            Probability = scored.Probability,
            Band = scored.Band.ToString(),
            Reasons = JsonSerializer.Serialize(scored.Reasons, Json),
            Contributions = JsonSerializer.Serialize(scored.Contributions, Json),
            Features = JsonSerializer.Serialize(scored.Features, Json),
            ExpectedValue = scored.ExpectedValue,
            RawScore = scored.RawScore,
            ModelVersion = scored.ModelVersion,
            ModelUsable = scored.ModelUsable,
            SegmentId = scored.SegmentId,
            SegmentLabel = scored.SegmentLabel,
            ScoredAt = scored.ScoredAt,
        });
        return scored;
    }
}
