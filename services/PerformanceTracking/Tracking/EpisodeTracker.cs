using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.PerformanceTracking.Domain;
using LoanRecovery.PerformanceTracking.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.PerformanceTracking.Tracking;

/// <summary>Records the events an episode is made of, opens episodes and closes them (publishing the outcome) inside the caller's unit of work.</summary>
public sealed partial class EpisodeTracker(UnitOfWork<PerformanceDbContext> unitOfWork, IOptions<PerformanceTrackingOptions> options, TimeProvider clock,
    ILogger<EpisodeTracker> logger)
{
    private PerformanceDbContext Db => unitOfWork.Db;
    private PerformanceTrackingOptions Options => options.Value;

    public async Task OnScoredAsync(RiskScored m, CancellationToken ct)
    {
        if (await Db.Scores.AnyAsync(s => s.ScoreId == m.ScoreId, ct))
            return;
        Db.Scores.Add(new ScoreRecord
        {
            ScoreId = m.ScoreId, LoanId = m.LoanId, Probability = m.Probability, Band = m.Band, SegmentLabel = m.SegmentLabel,
            ModelVersion = m.ModelVersion, ModelUsable = m.ModelUsable, Features = JsonSerializer.Serialize(m.Features), ScoredAt = m.ScoredAt,
        });
    }

    public async Task OnAssignedAsync(StrategyAssigned m, CancellationToken ct)
    {
        if (await Db.Assignments.AnyAsync(a => a.AssignmentId == m.AssignmentId, ct))
            return;
        var open = await Db.Episodes.SingleOrDefaultAsync(e => e.LoanId == m.LoanId && e.ClosedAt == null, ct);
        if (open is not null && open.WindowEndsAt <= m.AssignedAt)
        {
            // The episode's window ended before this assignment (a strategy review comes when it has) and the closer had not
            // reached it yet: it closes as of its window, and the assignment opens the loan's next episode rather than being
            // recorded against one that is over.
            await TryCloseAsync(open, ct, new Ending(open.WindowEndsAt));
            open = null;
        }
        if (open is not null && open.Stage is { } was && m.Stage > was)
        {
            // The loan reached a later stage and was decided again for it: the episode measured what its strategy achieved
            // up to here, and the new stage's strategy gets an episode of its own.
            await EndAtLaterStageAsync(open, m.AssignedAt, m.Stage.Value, ct);
            open = null;
        }
        if (open is null)
        {
            // Intention to treat: the episode follows the assignment that opened it; later assignments of the loan while it is
            // open (in the same stage) are recorded against it but do not change its strategy or arm.
            open = new EpisodeRecord
            {
                EpisodeId = Guid.NewGuid(), AssignmentId = m.AssignmentId, LoanId = m.LoanId, BorrowerId = m.BorrowerId, Strategy = m.Strategy,
                Arm = m.Arm, PolicyVersion = m.PolicyVersion, ModelVersion = m.ModelVersion, ScoreId = m.ScoreId, Probability = m.Probability,
                AssignedAt = m.AssignedAt, WindowEndsAt = m.AssignedAt + Options.ObservationWindow, Stage = m.Stage,
            };
            Db.Episodes.Add(open);
            LogOpened(m.LoanId, m.Strategy, m.Arm);
        }
        Db.Assignments.Add(new AssignmentRecord
        {
            AssignmentId = m.AssignmentId, LoanId = m.LoanId, BorrowerId = m.BorrowerId, Strategy = m.Strategy, Arm = m.Arm,
            PolicyVersion = m.PolicyVersion, RuleBased = m.RuleBased, ScoreId = m.ScoreId, Probability = m.Probability,
            ModelVersion = m.ModelVersion, AssignedAt = m.AssignedAt, Stage = m.Stage, EpisodeId = open.EpisodeId,
        });
        await Db.SaveChangesAsync(ct);
        await TryCloseAsync(open, ct);
    }

    public async Task OnPaymentAsync(PaymentRecorded m, CancellationToken ct)
    {
        if (await Db.Payments.AnyAsync(p => p.PaymentId == m.PaymentId, ct))
            return;
        Db.Payments.Add(new PaymentRecord
        {
            PaymentId = m.PaymentId, LoanId = m.LoanId, DueDate = m.DueDate, AmountDue = m.AmountDue, AmountPaid = m.AmountPaid, PaidOn = m.PaidOn,
            DaysPastDue = m.DaysPastDue, OutstandingBalance = m.OutstandingBalance, ArrearsAmount = m.ArrearsAmount, RecordedAt = m.RecordedAt,
        });
        await Db.SaveChangesAsync(ct);
        var open = await Db.Episodes.SingleOrDefaultAsync(e => e.LoanId == m.LoanId && e.ClosedAt == null, ct);
        if (open is not null)
            await TryCloseAsync(open, ct);
    }

    public async Task OnTaskCompletedAsync(CollectionTaskCompleted m, CancellationToken ct)
    {
        if (await Db.Contacts.AnyAsync(c => c.TaskId == m.TaskId, ct))
            return;
        Db.Contacts.Add(new ContactRecord
        {
            TaskId = m.TaskId, AssignmentId = m.AssignmentId, LoanId = m.LoanId, Action = m.Action, Outcome = m.Outcome,
            AmountPromised = m.AmountPromised, Cost = Options.CostOf(m.Action), CompletedAt = m.CompletedAt,
        });
    }

    /// <summary>Closes the open episodes whose observation window has ended; returns how many closed.</summary>
    public async Task<int> CloseDueAsync(int batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await Db.Episodes.Where(e => e.ClosedAt == null && e.WindowEndsAt <= now).OrderBy(e => e.WindowEndsAt).Take(batch).ToListAsync(ct);
        int closed = 0;
        foreach (var episode in due)
            if (await TryCloseAsync(episode, ct))
                closed++;
        return closed;
    }

    /// <summary>Closes the episode as of <paramref name="at"/>, when its loan reached <paramref name="stage"/>, unless it already closed.</summary>
    private Task EndAtLaterStageAsync(EpisodeRecord episode, DateTimeOffset at, DelinquencyStage stage, CancellationToken ct) =>
        TryCloseAsync(episode, ct, new Ending(at, $"the loan reached the {stage} stage"));

    /// <summary>
    /// The episode ends by <paramref name="At"/>, whatever this service's clock says: with a <paramref name="CutReason"/> its
    /// window is cut short to <paramref name="At"/> (when earlier); without, <paramref name="At"/> is its window's end.
    /// </summary>
    private sealed record Ending(DateTimeOffset At, string? CutReason = null);

    private async Task<bool> TryCloseAsync(EpisodeRecord episode, CancellationToken ct, Ending? ending = null)
    {
        // The closer and a payment consumer may both find the episode open: lock its row and read it again, so only
        // one of them closes it and publishes its outcome.
        await Db.Database.ExecuteSqlAsync($"SELECT 1 FROM episode WHERE episode_id = {episode.EpisodeId} FOR UPDATE", ct);
        await Db.Entry(episode).ReloadAsync(ct);
        if (episode.ClosedAt is not null)
            return false;
        bool cut = ending is { CutReason: not null } && ending.At < episode.WindowEndsAt;
        if (cut)
            episode.WindowEndsAt = ending!.At > episode.AssignedAt ? ending.At : episode.AssignedAt;
        var payments = await Db.Payments.AsNoTracking().Where(p => p.LoanId == episode.LoanId)
            .Select(p => new PaymentFact(p.RecordedAt, p.AmountPaid, p.OutstandingBalance, p.ArrearsAmount)).ToListAsync(ct);
        var contacts = await Db.Contacts.AsNoTracking().Where(c => c.LoanId == episode.LoanId)
            .Select(c => new ContactFact(c.CompletedAt, c.Action, c.Cost)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var close = EpisodeClosing.TryClose(episode.AssignedAt, episode.WindowEndsAt, ending is null ? now : Max(now, episode.WindowEndsAt), payments,
            contacts, new ClosingRules(Options.ClearedBalance, Options.PartialMinimumShare));
        if (close is null)
            return false;

        var score = await Db.Scores.AsNoTracking().SingleOrDefaultAsync(s => s.ScoreId == episode.ScoreId, ct);
        episode.Status = close.Status;
        episode.Band = score?.Band ?? BandOf(episode.Probability);
        episode.Segment = score?.SegmentLabel;
        episode.OpeningBalance = close.OpeningBalance;
        episode.AmountRecovered = close.AmountRecovered;
        episode.ContactCost = close.ContactCost;
        episode.Contacts = close.Contacts;
        episode.DaysToRecover = close.DaysToRecover;
        episode.ClosedAt = close.ClosedAt;
        // The stage is the reason only when it cut the window and no cleared balance closed the episode before the cut.
        episode.CloseReason = cut && close.ClosedAt >= episode.WindowEndsAt && close.Status != RecoveryStatus.FullyRecovered ? ending!.CutReason! : close.Reason;
        // One outcome per episode: its id is the episode's, so a re-publish is absorbed downstream.
        episode.OutcomeId = episode.EpisodeId;
        var features = score is null ? new Dictionary<string, double?>() : JsonSerializer.Deserialize<Dictionary<string, double?>>(score.Features) ?? [];
        unitOfWork.Publish(new RecoveryOutcomeRecorded(
            episode.OutcomeId.Value, episode.LoanId, episode.BorrowerId, false, close.Status, close.AmountRecovered, close.ContactCost,
            close.DaysToRecover, episode.Strategy, null, close.Contacts, episode.Strategy == RecoveryStrategy.LegalAction || close.LegalReferral,
            episode.PolicyVersion, episode.Arm, episode.ModelVersion, features, clock.GetUtcNow()));
        await Db.SaveChangesAsync(ct);
        LogClosed(episode.LoanId, close.Status, episode.CloseReason);
        return true;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private RiskBand BandOf(double probability) =>
        probability > Options.HighAbove ? RiskBand.High : probability >= Options.MediumFrom ? RiskBand.Medium : RiskBand.Low;

    [LoggerMessage(Level = LogLevel.Information, Message = "Episode of loan {LoanId} opened: {Strategy} ({Arm})")]
    private partial void LogOpened(string loanId, RecoveryStrategy strategy, PolicyArm arm);

    // Amounts stay out of the logs: a borrower's repayments are personal data.
    [LoggerMessage(Level = LogLevel.Information, Message = "Episode of loan {LoanId} closed {Status} ({Reason})")]
    private partial void LogClosed(string loanId, RecoveryStatus status, string reason);
}

/// <summary>Closes due episodes on the injected clock.</summary>
public sealed partial class EpisodeCloser(IServiceScopeFactory scopes, IOptions<PerformanceTrackingOptions> options, TimeProvider clock,
    ILogger<EpisodeCloser> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int closed;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork<PerformanceDbContext>>();
                    var tracker = scope.ServiceProvider.GetRequiredService<EpisodeTracker>();
                    closed = await unitOfWork.RunAsync(ct => tracker.CloseDueAsync(Batch, ct), stoppingToken);
                } while (closed == Batch && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
            try
            {
                await Task.Delay(options.Value.CloseCheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing due episodes failed; retrying at the next check")]
    private partial void LogFailed(Exception exception);
}
