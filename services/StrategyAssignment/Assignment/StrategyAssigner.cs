using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanRecovery.StrategyAssignment.Assignment;

public enum ScoreEffect { Assigned, Unchanged, AlreadyReceived }

public sealed record ScoreResult(ScoreEffect Effect, AssignmentRecord? Assignment);

/// <summary>
/// Turns scores and overrides into assignments and their tasks, under the compliance guard, inside the caller's unit of
/// work (the writes and the <see cref="StrategyAssigned"/> event commit together).
/// </summary>
public sealed class StrategyAssigner(
    UnitOfWork<StrategyDbContext> unitOfWork,
    PolicyStore policies,
    ComplianceGuard guard,
    ArmSelector arms,
    IOptions<StrategyAssignmentOptions> options,
    TimeProvider clock)
{
    private StrategyDbContext Db => unitOfWork.Db;

    public static ScoreFacts FactsOf(RiskScored score, ComplianceGuard guard)
    {
        var features = score.Features ?? new Dictionary<string, double?>();
        double? Get(string name) => features.TryGetValue(name, out var value) && value is { } v && double.IsFinite(v) ? v : null;
        decimal? Money(string name) => Get(name) is { } v ? Math.Round((decimal)v, 2) : null;
        int daysPastDue = (int)Math.Max(0, Get("days_past_due") ?? 0);
        return new ScoreFacts(score.Probability, score.ModelUsable, daysPastDue, (int)Math.Max(0, Get("missed_payments") ?? 0),
            Math.Max(0m, Money("outstanding_balance") ?? 0m), Money("monthly_income"), Money("monthly_emi"), score.SegmentLabel,
            guard.StageOf(daysPastDue));
    }

    public static void Validate(RiskScored score)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(score.LoanId)) problems.Add("LoanId is required");
        if (string.IsNullOrWhiteSpace(score.BorrowerId)) problems.Add("BorrowerId is required");
        if (score.ScoreId == Guid.Empty) problems.Add("ScoreId is required");
        if (!double.IsFinite(score.Probability) || score.Probability is < 0 or > 1) problems.Add("Probability must be between 0 and 1");
        if (string.IsNullOrWhiteSpace(score.ModelVersion)) problems.Add("ModelVersion is required");
        if (problems.Count > 0)
            throw new MessageValidationException("RiskScored is not valid: " + string.Join("; ", problems));
    }

    /// <summary>Serialises the decisions about one borrower (contact counts, the one active strategy per loan).</summary>
    public Task LockBorrowerAsync(string borrowerId, CancellationToken cancellationToken) =>
        Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('strategy-borrower'), hashtext({borrowerId}))", cancellationToken);

    public async Task<ComplianceFlags> FlagsAsync(string borrowerId, CancellationToken cancellationToken)
    {
        var record = await Db.Compliance.AsNoTracking().SingleOrDefaultAsync(c => c.BorrowerId == borrowerId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(record?.TimeZone ?? options.Value.DefaultTimeZone);
        return new ComplianceFlags(zone, record?.CeaseContact ?? false, record?.Dispute ?? false, record?.Bankruptcy ?? false);
    }

    public async Task<ScoreResult> OnScoreAsync(RiskScored message, CancellationToken cancellationToken)
    {
        Validate(message);
        await LockBorrowerAsync(message.BorrowerId, cancellationToken);
        if (await Db.Scores.AnyAsync(s => s.ScoreId == message.ScoreId, cancellationToken))
            return new ScoreResult(ScoreEffect.AlreadyReceived, null);

        var now = clock.GetUtcNow();
        var facts = FactsOf(message, guard);
        var score = new ScoreRecord
        {
            ScoreId = message.ScoreId, LoanId = message.LoanId, BorrowerId = message.BorrowerId, Probability = message.Probability,
            Band = message.Band, ModelVersion = message.ModelVersion, ModelUsable = message.ModelUsable,
            Features = StrategyJson.Serialize(message.Features ?? new Dictionary<string, double?>()), ScoredAt = message.ScoredAt, ReceivedAt = now,
        };
        Db.Scores.Add(score);

        var current = await policies.CurrentAsync(cancellationToken);
        var arm = ArmSelector.ArmOf(await ArmDrawAsync(message.LoanId, now, cancellationToken), current.Challenger is not null);
        var policy = arm == PolicyArm.Challenger ? current.Challenger! : current.Champion;
        var decision = PolicyEngine.Decide(policy.Document, facts);

        var active = await Db.Assignments.SingleOrDefaultAsync(a => a.LoanId == message.LoanId && a.Active, cancellationToken);
        // Scores of one loan can be consumed out of order (concurrent deliveries, retries): an older score than one
        // already received is kept for the record but decides nothing.
        if (active is not null && await Db.Scores.AnyAsync(s => s.LoanId == message.LoanId && s.ScoredAt > message.ScoredAt, cancellationToken))
        {
            score.Effect = $"Stale: a later score of this loan was already received; strategy {active.Strategy} kept";
            return new ScoreResult(ScoreEffect.Unchanged, active);
        }
        var decidedAgain = active is null ? null : WhyDecidedAgain(active, decision.Band, facts, now);
        if (active is not null && decidedAgain is null)
        {
            score.Effect = $"Unchanged: still {decision.Band} band, strategy {active.Strategy} kept";
            return new ScoreResult(ScoreEffect.Unchanged, active);
        }

        var flags = await FlagsAsync(message.BorrowerId, cancellationToken);
        var reasons = new List<string>();
        RecoveryStrategy strategy;
        if (arm == PolicyArm.Exploration)
        {
            var allowed = guard.AllowedStrategies(facts, flags);
            strategy = arms.PickUniformly(allowed);
            reasons.Add($"Exploration: {strategy} drawn uniformly from the allowed strategies ({string.Join(", ", allowed)}); the champion would assign {decision.Strategy}");
        }
        else
        {
            var guarded = guard.Guard(decision.Strategy, facts, flags);
            strategy = guarded.Strategy;
            reasons.AddRange(decision.Reasons);
            reasons.AddRange(guarded.Reasons);
        }

        var assignment = await AssignAsync(new NewAssignment(message.LoanId, message.BorrowerId, strategy, decision.Band, decision.RuleBased, arm,
            policy.Version, AssignmentSource.Policy, message.ScoreId, message.Probability, message.ModelVersion, facts,
            RiskPosition(policy.Document, facts)), reasons, flags, active, decidedAgain, now, cancellationToken);
        score.Effect = decidedAgain is null ? $"Assigned {strategy}" : $"{decidedAgain}: assigned {strategy}";
        return new ScoreResult(ScoreEffect.Assigned, assignment);
    }

    /// <summary>Why a loan with an active strategy is decided again on this score; null keeps the strategy.</summary>
    private string? WhyDecidedAgain(AssignmentRecord active, RiskBand band, ScoreFacts facts, DateTimeOffset now)
    {
        if (active.Band != band)
            return $"Re-scored from {active.Band} to {band} band";
        // A loan that reaches a later stage is decided again even in the same band: the strategies compliance allows have
        // changed (legal action becomes possible), and outcomes are measured per stage.
        if (StageOf(active) is { } was && facts.Stage > was)
            return $"Reached the {facts.Stage} delinquency stage at {facts.DaysPastDue} days past due (was {was})";
        // A strategy that has run its course while the loan is still in arrears is reviewed: without a review a loan whose
        // band never changes would keep one settlement offer or reminder for life, with no new contact and, for performance
        // tracking, no new outcome once its episode has closed. Not reviewed: a loan that is current again (it is still
        // scored, its missed payments never go down), an officer's override (it stands until the band or stage changes),
        // and legal action (the case is with the legal team; a review would only refer it again).
        var reviewAfter = options.Value.ReviewStrategyAfter;
        var running = now - active.AssignedAt;
        if (reviewAfter > TimeSpan.Zero && running >= reviewAfter && facts.DaysPastDue > 0 && active.Source == AssignmentSource.Policy &&
            active.Strategy != RecoveryStrategy.LegalAction)
            return $"Review: {active.Strategy} has run for {Durations.Describe(running)} and the loan is still {facts.DaysPastDue} days past due";
        return null;
    }

    /// <summary>The assignment's stage; for one made before stages were recorded, the stage of the facts it was decided on.</summary>
    private DelinquencyStage? StageOf(AssignmentRecord assignment) =>
        assignment.Stage ?? (StrategyJson.Deserialize<ScoreFacts>(assignment.Facts) is { } facts ? guard.StageOf(facts.DaysPastDue) : null);

    public sealed record NewAssignment(string LoanId, string BorrowerId, RecoveryStrategy Strategy, RiskBand Band, bool RuleBased, PolicyArm Arm,
        string PolicyVersion, string Source, Guid ScoreId, double Probability, string ModelVersion, ScoreFacts Facts, double RiskPosition);

    /// <summary>Ends the active assignment (cancelling its open tasks), creates the new one with guarded tasks, and publishes it.</summary>
    public async Task<AssignmentRecord> AssignAsync(NewAssignment request, List<string> reasons, ComplianceFlags flags, AssignmentRecord? active,
        string? endedReason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (active is not null)
        {
            active.Active = false;
            active.EndedAt = now;
            active.EndedReason = endedReason;
            var open = await Db.Tasks.Where(t => t.AssignmentId == active.AssignmentId &&
                                                 (t.Status == CollectionTaskStatus.Open || t.Status == CollectionTaskStatus.Claimed))
                .ToListAsync(cancellationToken);
            foreach (var task in open)
            {
                task.Status = CollectionTaskStatus.Cancelled;
                task.CancelledReason = "The strategy changed: " + endedReason;
                task.Version++;
            }
            await Db.SaveChangesAsync(cancellationToken); // before the new active row: one active strategy per loan
        }

        var o = options.Value;
        var plan = request.Strategy == RecoveryStrategy.Settlement
            ? RepaymentPlanner.Plan(request.Facts.OutstandingBalance, request.Facts.MonthlyIncome, request.RiskPosition, o.SettlementTerms())
            : null;
        var planned = TaskPlanner.Plan(request.Strategy, plan, o.DueIn);
        var contacts = await ContactsInWindowAsync(request.BorrowerId, now, cancellationToken);
        var tasks = guard.GuardTasks(planned, flags, contacts, now);
        reasons.AddRange(tasks.Select(t => t.ComplianceReason).OfType<string>());
        var priority = PolicyEngine.Priority(request.Facts);
        var actions = TaskPlanner.Actions(request.Strategy, plan);

        var assignment = new AssignmentRecord
        {
            AssignmentId = Guid.NewGuid(), LoanId = request.LoanId, BorrowerId = request.BorrowerId, Strategy = request.Strategy, Band = request.Band,
            Stage = request.Facts.Stage, RuleBased = request.RuleBased, Arm = request.Arm, PolicyVersion = request.PolicyVersion, Source = request.Source, ScoreId = request.ScoreId,
            Probability = request.Probability, ModelVersion = request.ModelVersion, Priority = priority,
            Actions = StrategyJson.Serialize(actions), Reasons = StrategyJson.Serialize(reasons),
            Plan = plan is null ? null : StrategyJson.Serialize(plan), Facts = StrategyJson.Serialize(request.Facts),
            Active = true, AssignedAt = now,
        };
        Db.Assignments.Add(assignment);
        foreach (var task in tasks)
            Db.Tasks.Add(NewTask(assignment, task, now));
        unitOfWork.Publish(new StrategyAssigned(assignment.AssignmentId, assignment.LoanId, assignment.BorrowerId, assignment.Strategy, actions,
            priority, reasons, assignment.PolicyVersion, assignment.Arm, assignment.RuleBased, assignment.ScoreId, assignment.Probability,
            assignment.ModelVersion, now, assignment.Stage));
        return assignment;
    }

    public static CollectionTaskRecord NewTask(AssignmentRecord assignment, GuardedTask task, DateTimeOffset now, Guid? followUpOf = null) => new()
    {
        TaskId = Guid.NewGuid(), AssignmentId = assignment.AssignmentId, LoanId = assignment.LoanId, BorrowerId = assignment.BorrowerId,
        Strategy = assignment.Strategy, Kind = task.Kind, IsContact = task.IsContact, Description = task.Description,
        Priority = assignment.Priority, DueAt = task.DueAt, NotBefore = task.NotBefore, ComplianceReason = task.ComplianceReason,
        Status = CollectionTaskStatus.Open, CreatedAt = now, Version = 1, FollowUpOf = followUpOf,
    };

    /// <summary>The borrower's contact attempts (contact tasks not cancelled) scheduled within the rolling window.</summary>
    public Task<int> ContactsInWindowAsync(string borrowerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - options.Value.ContactWindow;
        return Db.Tasks.CountAsync(t => t.BorrowerId == borrowerId && t.IsContact && t.Status != CollectionTaskStatus.Cancelled && t.NotBefore >= since,
            cancellationToken);
    }

    private async Task<ArmDraw> ArmDrawAsync(string loanId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var drawn = await Db.LoanArms.SingleOrDefaultAsync(a => a.LoanId == loanId, cancellationToken);
        if (drawn is null)
        {
            var draw = arms.Draw();
            Db.LoanArms.Add(drawn = new LoanArmRecord { LoanId = loanId, InExperiment = draw.InExperiment, KeepsExploring = draw.KeepsExploring, DrawnAt = now });
        }
        return new ArmDraw(drawn.InExperiment, drawn.KeepsExploring);
    }

    /// <summary>Where the score lies in the settlement band (0 at its bottom, 1 at its top); the middle for rule-based decisions.</summary>
    public static double RiskPosition(PolicyDocument policy, ScoreFacts facts) =>
        facts.ModelUsable ? (facts.Probability - policy.SettlementFrom) / (policy.LegalAbove - policy.SettlementFrom) : 0.5;
}
