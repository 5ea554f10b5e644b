using LoanRecovery.Contracts;
using LoanRecovery.Segmentation.Domain;
using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Segmentation.Segments;

/// <summary>Thrown when a payment names a loan this service has not seen yet (its LoanOpened may still be queued).</summary>
public sealed class UnknownLoanException(string loanId) : Exception($"loanId: loan '{loanId}' is not known to Segmentation yet")
{
    public string LoanId { get; } = loanId;
}

public enum FitStatus
{
    /// <summary>A new model version was stored and made current.</summary>
    Fitted,
    /// <summary>The data gives the segments the current model already has: it stays current.</summary>
    Unchanged,
    /// <summary>Fewer borrowers than the fit needs.</summary>
    NotEnoughBorrowers,
    /// <summary>Only a first fit was asked for and a model already exists.</summary>
    AlreadyFitted,
}

public sealed record FitOutcome(FitStatus Status, string? ModelVersion, string? PreviousVersion, int? K, double? Silhouette,
    int Borrowers, int Needed, int Published, IReadOnlyList<KTried> Tried);

/// <summary>
/// Keeps borrowers' loan figures, fits and stores models, and assigns segments — always inside the caller's unit of
/// work, so an assignment row and its <see cref="BorrowerSegmented"/> commit together. Event-time assignments take a
/// shared advisory lock and fits an exclusive one, so no borrower is missed by a fit running beside a consumer.
/// </summary>
public sealed partial class SegmentationEngine(
    UnitOfWork<SegmentationDbContext> unitOfWork,
    IOptions<SegmentationOptions> options,
    TimeProvider clock,
    ILogger<SegmentationEngine> logger)
{
    private const long AssignmentLock = 0x5E6_0001;

    private SegmentationDbContext Db => unitOfWork.Db;

    /// <summary>Records a loan (a loan id seen before is ignored) and, once a model exists, assigns its borrower.</summary>
    public async Task<bool> RecordLoanAsync(LoanOpened loan, CancellationToken cancellationToken)
    {
        await Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({AssignmentLock})", cancellationToken);
        var inserted = await Db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO loan_position (loan_id, borrower_id, monthly_income, loan_amount, collateral_value, monthly_emi, outstanding,
                                        missed_payments, days_past_due, opened_at, received_at)
             VALUES ({loan.LoanId}, {loan.BorrowerId}, {loan.MonthlyIncome}, {loan.LoanAmount}, {loan.CollateralValue}, {loan.MonthlyEmi},
                     {loan.OutstandingLoanAmount}, {loan.MissedPayments}, {loan.DaysPastDue}, {loan.OccurredAt}, {clock.GetUtcNow()})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        if (inserted == 0)
            return false;
        await AssignIfModelAsync(loan.BorrowerId, cancellationToken);
        return true;
    }

    /// <summary>Applies a payment's delinquency figures to its loan (an older payment arriving late is ignored) and re-assigns.</summary>
    public async Task<bool> ApplyPaymentAsync(PaymentRecorded payment, CancellationToken cancellationToken)
    {
        await Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({AssignmentLock})", cancellationToken);
        var loan = await Db.LoanPositions
            .FromSql($"SELECT * FROM loan_position WHERE loan_id = {payment.LoanId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new UnknownLoanException(payment.LoanId);
        if (loan.LastPaymentAt is { } last && payment.RecordedAt < last)
            return false;
        loan.Outstanding = payment.OutstandingBalance;
        loan.MissedPayments = payment.MissedPayments;
        loan.DaysPastDue = payment.DaysPastDue;
        loan.LastPaymentAt = payment.RecordedAt;
        await Db.SaveChangesAsync(cancellationToken);
        await AssignIfModelAsync(loan.BorrowerId, cancellationToken);
        return true;
    }

    public async Task<bool> RecordOutcomeAsync(RecoveryOutcomeRecorded outcome, CancellationToken cancellationToken)
    {
        var inserted = await Db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO recovery_outcome (outcome_id, loan_id, borrower_id, historical, status, recorded_at)
             VALUES ({outcome.OutcomeId}, {outcome.LoanId}, {outcome.BorrowerId}, {outcome.Historical}, {outcome.Status.ToString()}, {outcome.RecordedAt})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        return inserted > 0;
    }

    /// <summary>Borrowers known, and when this service received its latest loan: what the first fit waits on.</summary>
    public async Task<(bool HasModel, int Borrowers, DateTimeOffset? LatestLoanAt)> FitReadinessAsync(CancellationToken cancellationToken)
    {
        var hasModel = await Db.SegmentModels.AnyAsync(m => m.IsCurrent, cancellationToken);
        var borrowers = await Db.LoanPositions.Select(l => l.BorrowerId).Distinct().CountAsync(cancellationToken);
        var latest = await Db.LoanPositions.MaxAsync(l => (DateTimeOffset?)l.ReceivedAt, cancellationToken);
        return (hasModel, borrowers, latest);
    }

    /// <summary>
    /// Fits the current portfolio and re-assigns every borrower to the nearest centroid, publishing
    /// <see cref="BorrowerSegmented"/> only for borrowers whose segment id or name changed. When the fit gives the
    /// segments the current model has, no version is added and nobody is re-assigned.
    /// </summary>
    public async Task<FitOutcome> FitAsync(FitSettings settings, bool onlyWhenNoModel, CancellationToken cancellationToken)
    {
        await Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AssignmentLock})", cancellationToken);
        var current = await Db.SegmentModels.SingleOrDefaultAsync(m => m.IsCurrent, cancellationToken);
        if (onlyWhenNoModel && current is not null)
            return new FitOutcome(FitStatus.AlreadyFitted, current.Version, null, current.K, current.Silhouette, current.RowCount, 0, 0, []);

        var borrowers = await LoadBorrowersAsync(cancellationToken);
        var needed = Math.Max(options.Value.MinBorrowersToFit, settings.MaxK);
        if (borrowers.Count < needed)
            return new FitOutcome(FitStatus.NotEnoughBorrowers, current?.Version, null, null, null, borrowers.Count, needed, 0, []);

        var result = SegmentFitter.Fit(borrowers, settings, cancellationToken);
        var now = clock.GetUtcNow();
        SegmentModelVersion version;
        FitStatus status;
        if (current is not null && current.ToDomain().SameSegmentsAs(result.Model))
        {
            version = current;
            status = FitStatus.Unchanged;
        }
        else
        {
            var number = (await Db.SegmentModels.MaxAsync(m => (int?)m.Number, cancellationToken) ?? 0) + 1;
            if (current is not null)
            {
                current.IsCurrent = false;
                await Db.SaveChangesAsync(cancellationToken);
            }
            version = NewVersion(number, result, settings.Seed, now);
            Db.SegmentModels.Add(version);
            await Db.SaveChangesAsync(cancellationToken);
            status = FitStatus.Fitted;
        }

        var model = version.ToDomain();
        var assignments = await Db.SegmentAssignments.ToDictionaryAsync(a => a.BorrowerId, StringComparer.Ordinal, cancellationToken);
        var published = 0;
        foreach (var borrower in borrowers)
        {
            var segment = model.Assign(borrower.Features);
            var next = new SegmentPlacement(segment, model.LabelOf(segment), version.Version);
            if (Place(borrower.BorrowerId, assignments.GetValueOrDefault(borrower.BorrowerId), next, now) == AssignmentChangeKind.Changed)
                published++;
        }
        if (status == FitStatus.Fitted)
            LogFitted(version.Version, version.K, version.Silhouette, borrowers.Count, published);
        else
            LogUnchanged(version.Version, borrowers.Count, published);
        return new FitOutcome(status, version.Version, current?.Version, version.K, version.Silhouette, borrowers.Count, needed, published, result.Tried);
    }

    private async Task<List<BorrowerRow>> LoadBorrowersAsync(CancellationToken cancellationToken)
    {
        var loans = await Db.LoanPositions.AsNoTracking().ToListAsync(cancellationToken);
        var cap = options.Value.CollateralCoverCap;
        return loans.GroupBy(l => l.BorrowerId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BorrowerRow(g.Key, BorrowerFeatures.Aggregate(g.Select(ToSnapshot).ToArray(), cap)))
            .ToList();
    }

    /// <summary>The features of one borrower, or null when no loan of theirs is known.</summary>
    public async Task<(BorrowerFeatures Features, int Loans)?> FeaturesOfAsync(string borrowerId, CancellationToken cancellationToken)
    {
        var loans = await Db.LoanPositions.AsNoTracking().Where(l => l.BorrowerId == borrowerId).ToListAsync(cancellationToken);
        return loans.Count == 0 ? null : (BorrowerFeatures.Aggregate(loans.Select(ToSnapshot).ToArray(), options.Value.CollateralCoverCap), loans.Count);
    }

    private async Task AssignIfModelAsync(string borrowerId, CancellationToken cancellationToken)
    {
        var current = await Db.SegmentModels.AsNoTracking().SingleOrDefaultAsync(m => m.IsCurrent, cancellationToken);
        if (current is null)
            return;
        var (features, _) = (await FeaturesOfAsync(borrowerId, cancellationToken))!.Value;
        var model = current.ToDomain();
        var segment = model.Assign(features);
        var existing = await Db.SegmentAssignments.SingleOrDefaultAsync(a => a.BorrowerId == borrowerId, cancellationToken);
        Place(borrowerId, existing, new SegmentPlacement(segment, model.LabelOf(segment), current.Version), clock.GetUtcNow());
    }

    /// <summary>Stores a placement if it is news, queueing <see cref="BorrowerSegmented"/> when the segment changed.</summary>
    private AssignmentChangeKind Place(string borrowerId, SegmentAssignment? existing, SegmentPlacement next, DateTimeOffset now)
    {
        var current = existing is null ? null : new SegmentPlacement(existing.SegmentId, existing.SegmentLabel, existing.ModelVersion);
        var change = AssignmentChange.Between(current, next);
        switch (change)
        {
            case AssignmentChangeKind.ModelOnly:
                existing!.ModelVersion = next.ModelVersion;
                break;
            case AssignmentChangeKind.Changed:
                if (existing is null)
                {
                    existing = new SegmentAssignment { BorrowerId = borrowerId };
                    Db.SegmentAssignments.Add(existing);
                }
                existing.ModelVersion = next.ModelVersion;
                existing.SegmentId = next.SegmentId;
                existing.SegmentLabel = next.Label;
                existing.AssignedAt = now;
                unitOfWork.Publish(new BorrowerSegmented(borrowerId, next.SegmentId, next.Label, next.ModelVersion, now));
                LogAssigned(borrowerId, next.SegmentId, next.ModelVersion, current?.SegmentId);
                break;
        }
        return change;
    }

    private static LoanSnapshot ToSnapshot(LoanPosition l) =>
        new(l.LoanId, l.MonthlyIncome, l.LoanAmount, l.CollateralValue, l.Outstanding, l.MonthlyEmi, l.MissedPayments, l.DaysPastDue, l.OpenedAt);

    private static SegmentModelVersion NewVersion(int number, FitResult result, int seed, DateTimeOffset now) => new()
    {
        Version = $"seg-v{number}",
        Number = number,
        K = result.Model.K,
        Silhouette = result.Model.Silhouette,
        Inertia = result.Model.Inertia,
        FeatureNames = result.Model.FeatureNames.ToArray(),
        Means = result.Model.Means,
        Scales = result.Model.Scales,
        Centroids = SegmentModelMapping.Flatten(result.Model.Centroids),
        ClusteringCentroids = SegmentModelMapping.Flatten(result.Model.ClusteringCentroids),
        Labels = result.Model.Labels.ToArray(),
        Sizes = result.Model.Sizes.ToArray(),
        LabelBasis = [result.Basis.IncomeLowerTercile, result.Basis.IncomeUpperTercile, result.Basis.LoanLowerTercile, result.Basis.LoanUpperTercile],
        RowCount = result.Model.RowCount,
        Seed = seed,
        FittedAt = now,
        IsCurrent = true,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Fitted segmentation model {ModelVersion}: k = {K}, silhouette {Silhouette}, {Borrowers} borrowers, {Published} segment changes published")]
    private partial void LogFitted(string modelVersion, int k, double? silhouette, int borrowers, int published);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refit gave the segments of {ModelVersion} again ({Borrowers} borrowers); {Published} segment changes published")]
    private partial void LogUnchanged(string modelVersion, int borrowers, int published);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Borrower {BorrowerId} placed in segment {SegmentId} of {ModelVersion} (was {PreviousSegmentId})")]
    private partial void LogAssigned(string borrowerId, int segmentId, string modelVersion, int? previousSegmentId);
}
