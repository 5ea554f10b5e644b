using LoanRecovery.Contracts;

namespace LoanRecovery.StrategyAssignment.Domain;

/// <summary>The configured compliance limits.</summary>
public sealed record ComplianceRules(
    int MaxContactsPerWindow,
    TimeSpan ContactWindow,
    TimeSpan ContactHoursStart,
    TimeSpan ContactHoursEnd,
    int LegalMinDaysPastDue,
    decimal LegalMinBalance);

/// <summary>What this service knows about a borrower that limits contact.</summary>
public sealed record ComplianceFlags(TimeZoneInfo TimeZone, bool CeaseContact, bool Dispute, bool Bankruptcy)
{
    /// <summary>Why no contact is allowed, or null when contact is allowed.</summary>
    public string? NoContactReason =>
        Bankruptcy ? "the borrower is in bankruptcy" :
        Dispute ? "the borrower disputes the debt" :
        CeaseContact ? "the borrower asked us to cease contact" : null;
}

/// <summary>A task a strategy calls for, before the compliance guard.</summary>
public sealed record PlannedTask(TaskKind Kind, string Description, TimeSpan DueIn);

/// <summary>A task as it will be created: possibly replaced, with its earliest contact time and the reason for any change.</summary>
public sealed record GuardedTask(TaskKind Kind, string Description, DateTimeOffset DueAt, DateTimeOffset NotBefore, bool IsContact, string? ComplianceReason);

public sealed record GuardedStrategy(RecoveryStrategy Strategy, IReadOnlyList<string> Reasons);

/// <summary>
/// Applied to every assignment and every contact task: no contact when the borrower has a cease-contact, dispute or
/// bankruptcy flag; at most N contact attempts in a rolling window; contact only within the configured hours in the
/// borrower's time zone; legal action only from the configured days past due and balance. A blocked action is
/// replaced by the next allowed one, and the reason is kept.
/// </summary>
public sealed class ComplianceGuard(ComplianceRules rules)
{
    private static readonly RecoveryStrategy[] Order = [RecoveryStrategy.LegalAction, RecoveryStrategy.Settlement, RecoveryStrategy.Reminder];

    public ComplianceRules Rules => rules;

    public static bool IsContact(TaskKind kind) => kind is TaskKind.Call or TaskKind.Letter or TaskKind.SettlementOffer or TaskKind.Reminder;

    /// <summary>Why <paramref name="strategy"/> is not allowed, or null. Reminders (monitoring) are always allowed.</summary>
    public string? Blocks(RecoveryStrategy strategy, ScoreFacts score, ComplianceFlags flags)
    {
        switch (strategy)
        {
            case RecoveryStrategy.LegalAction:
                if (flags.Bankruptcy)
                    return "Legal action is not allowed: the borrower is in bankruptcy";
                if (flags.Dispute)
                    return "Legal action is not allowed: the borrower disputes the debt";
                if (score.DaysPastDue < rules.LegalMinDaysPastDue)
                    return $"Legal action is not allowed below {rules.LegalMinDaysPastDue} days past due (the loan is {score.DaysPastDue})";
                if (score.OutstandingBalance < rules.LegalMinBalance)
                    return $"Legal action is not allowed below a balance of {rules.LegalMinBalance:0.00} (the loan owes {score.OutstandingBalance:0.00})";
                return null;
            case RecoveryStrategy.Settlement:
                return flags.NoContactReason is { } why ? $"A settlement offer is not allowed: {why}" : null;
            default:
                return null;
        }
    }

    /// <summary>The loan's delinquency stage: late from the days past due at which legal action may be taken.</summary>
    public DelinquencyStage StageOf(int daysPastDue) => daysPastDue >= rules.LegalMinDaysPastDue ? DelinquencyStage.Late : DelinquencyStage.Early;

    public IReadOnlyList<RecoveryStrategy> AllowedStrategies(ScoreFacts score, ComplianceFlags flags) =>
        Order.Where(s => Blocks(s, score, flags) is null).ToArray();

    /// <summary>The proposed strategy if allowed, else the next allowed one down the order, with the reasons.</summary>
    public GuardedStrategy Guard(RecoveryStrategy proposed, ScoreFacts score, ComplianceFlags flags)
    {
        var reasons = new List<string>();
        var strategy = proposed;
        while (Blocks(strategy, score, flags) is { } reason)
        {
            var next = Order[Array.IndexOf(Order, strategy) + 1];
            reasons.Add($"{reason}; replaced by {next}");
            strategy = next;
        }
        return new GuardedStrategy(strategy, reasons);
    }

    /// <summary>
    /// Guards the tasks of one assignment. <paramref name="contactsInWindow"/> counts the borrower's contact attempts
    /// already scheduled within the window. Contact tasks that are not allowed become account reviews (no contact).
    /// </summary>
    public IReadOnlyList<GuardedTask> GuardTasks(IReadOnlyList<PlannedTask> tasks, ComplianceFlags flags, int contactsInWindow, DateTimeOffset now)
    {
        var result = new List<GuardedTask>(tasks.Count);
        var contacts = contactsInWindow;
        foreach (var task in tasks)
        {
            var due = now + task.DueIn;
            if (!IsContact(task.Kind))
            {
                result.Add(new GuardedTask(task.Kind, task.Description, due, now, false, null));
                continue;
            }
            if (flags.NoContactReason is { } why)
            {
                result.Add(Review(task, now, $"{task.Kind} blocked: {why}; replaced by an account review without contact"));
                continue;
            }
            if (contacts >= rules.MaxContactsPerWindow)
            {
                result.Add(Review(task, now,
                    $"{task.Kind} blocked: the borrower already has {contacts} contact attempts within {rules.ContactWindow.TotalDays:0.#} days (limit {rules.MaxContactsPerWindow}); replaced by an account review without contact"));
                continue;
            }
            contacts++;
            var notBefore = NextContactTime(now, flags.TimeZone);
            string? reason = null;
            if (notBefore > now)
            {
                var local = TimeZoneInfo.ConvertTime(notBefore, flags.TimeZone);
                reason = $"Outside contact hours in {flags.TimeZone.Id}: {task.Kind} not before {local:yyyy-MM-dd HH:mm} local time";
            }
            result.Add(new GuardedTask(task.Kind, task.Description, due > notBefore ? due : notBefore, notBefore, true, reason));
        }
        return result;

        GuardedTask Review(PlannedTask blocked, DateTimeOffset at, string reason) =>
            new(TaskKind.AccountReview, $"Review the account instead of: {blocked.Description}", at + rules.ContactWindow, at, false, reason);
    }

    public bool WithinContactHours(DateTimeOffset utc, TimeZoneInfo timeZone)
    {
        var time = TimeZoneInfo.ConvertTime(utc, timeZone).TimeOfDay;
        return time >= rules.ContactHoursStart && time < rules.ContactHoursEnd;
    }

    /// <summary><paramref name="utc"/> when it is within contact hours in the zone, else the next opening.</summary>
    public DateTimeOffset NextContactTime(DateTimeOffset utc, TimeZoneInfo timeZone)
    {
        if (WithinContactHours(utc, timeZone))
            return utc;
        var local = TimeZoneInfo.ConvertTime(utc, timeZone);
        var day = local.TimeOfDay < rules.ContactHoursStart ? local.Date : local.Date.AddDays(1);
        var opening = DateTime.SpecifyKind(day + rules.ContactHoursStart, DateTimeKind.Unspecified);
        if (timeZone.IsInvalidTime(opening))
            opening = opening.AddHours(1);
        return new DateTimeOffset(opening, timeZone.GetUtcOffset(opening)).ToUniversalTime();
    }
}
