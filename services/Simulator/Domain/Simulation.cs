using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>One instalment as core banking reports it, with the simulated dates.</summary>
public sealed record SimPayment(int LoanIndex, string PaymentId, string LoanId, DateOnly DueDate, decimal AmountDue, decimal AmountPaid,
    DateOnly? PaidOn)
{
    public CoreBankingPayment ToCoreBanking() => new()
    {
        PaymentId = PaymentId, LoanId = LoanId, DueDate = DueDate, AmountDue = AmountDue, AmountPaid = AmountPaid, PaidOn = PaidOn,
    };
}

/// <summary>What a policy may look at when it decides: what the lender knows, never the hidden traits.</summary>
public sealed record LoanObservation(SimLoan Loan, int Month, decimal Arrears, decimal Outstanding, int DaysPastDue, int MissedPayments);

/// <summary>Chooses a strategy for a delinquent loan at the end of a month; null leaves it without one.</summary>
public interface IStrategyPolicy
{
    string Name { get; }
    RecoveryStrategy? Decide(LoanObservation observation);
}

/// <summary>Another seed's draws for each loan after a given month (0-based; -1: from the start).</summary>
public sealed record OtherLuck(int Seed, IReadOnlyList<int> OwnDrawsThrough);

/// <summary>A loan's state in the simulation and its recovery accounting.</summary>
public sealed class LoanState(int months)
{
    public decimal Outstanding;
    public decimal Arrears;
    public DateOnly? OldestUnpaid;
    public int Missed;
    public int ConsecutiveMisses;
    public int DaysPastDue;
    public int OnTime, Late;

    public int FirstDelinquentMonth = -1;
    public int Episodes;
    public decimal Owed;
    public decimal Collected;
    public decimal Costs;

    public RecoveryStrategy? Strategy;
    public RecoveryStrategy? LastStrategy;
    public int StrategySince;
    public bool Responded;
    public bool LumpPending;
    public int Assignments;
    public int StrategyMonths;
    public HashSet<RecoveryStrategy> StrategiesUsed { get; } = [];

    /// <summary>
    /// <see cref="Net"/> as it stood at the end of each month (after that month's strategy costs), so that recovery can
    /// be followed month by month: month m's own net recovery is <c>NetToDate[m] - NetToDate[m - 1]</c>, and the last
    /// entry equals <see cref="Net"/>.
    /// </summary>
    public decimal[] NetToDate { get; } = new decimal[months];

    /// <summary>The strategy in force at the end of each month (null: not in arrears, or none assigned).</summary>
    public RecoveryStrategy?[] StrategyAt { get; } = new RecoveryStrategy?[months];

    /// <summary>Whether the compliance limits allowed legal action at the end of each month (days past due and balance then).</summary>
    public bool[] LegalAllowedAt { get; } = new bool[months];

    public bool EverDelinquent => FirstDelinquentMonth >= 0;
    public decimal Net => Math.Min(Collected, Owed) - Costs;
}

/// <summary>
/// Runs the portfolio month by month under one policy. Every random draw is keyed by (seed, loan, month, purpose), so
/// two simulations of the same borrowers under different policies share their luck. Deterministic, no I/O.
/// </summary>
public sealed class PortfolioSimulation
{
    private readonly SimulationConfig _config;
    private readonly int _seed;
    private readonly IStrategyPolicy _policy;
    private readonly OtherLuck? _otherLuck;

    /// <summary>
    /// The simulation of <paramref name="loans"/> over <paramref name="months"/> under <paramref name="policy"/>, with the draws
    /// of <paramref name="seed"/>. With <paramref name="otherLuck"/>, each loan keeps those draws only through its month in
    /// <see cref="OtherLuck.OwnDrawsThrough"/> and takes <see cref="OtherLuck.Seed"/>'s after it, responses to strategies
    /// assigned from then on included: the same past, another future.
    /// </summary>
    public PortfolioSimulation(SimulationConfig config, IReadOnlyList<SimLoan> loans, int seed, int months, IStrategyPolicy policy,
        OtherLuck? otherLuck = null)
    {
        _config = config;
        _seed = seed;
        _policy = policy;
        _otherLuck = otherLuck;
        Loans = loans;
        Months = months;
        States = loans.Select(l => new LoanState(months) { Outstanding = l.OutstandingAtStart }).ToArray();
    }

    public IReadOnlyList<SimLoan> Loans { get; }
    public LoanState[] States { get; }
    public int Months { get; }
    public string PolicyName => _policy.Name;

    /// <summary>A payment more than this many days after its due date counts as delayed in the payment history grade.</summary>
    public const int LateAfterDays = 5;

    public DateOnly DueDate(SimLoan loan, int month)
    {
        var start = _config.Portfolio.StartDate;
        return new DateOnly(start.Year, start.Month, loan.DueDay).AddMonths(month);
    }

    /// <summary>The instalments of month <paramref name="month"/> (0-based), applied to the loans' states.</summary>
    public IReadOnlyList<SimPayment> Payments(int month)
    {
        var result = new List<SimPayment>(Loans.Count);
        for (var i = 0; i < Loans.Count; i++)
            if (Pay(Loans[i], States[i], month) is { } payment)
                result.Add(payment);
        return result;
    }

    /// <summary>End of month <paramref name="month"/>: the policy decides a strategy for every delinquent loan.</summary>
    public void AssignStrategies(int month)
    {
        for (var i = 0; i < Loans.Count; i++)
        {
            var state = States[i];
            if (state.Arrears <= 0)
            {
                state.Strategy = null;
                continue;
            }
            var loan = Loans[i];
            var chosen = _policy.Decide(new LoanObservation(loan, month, state.Arrears, state.Outstanding, state.DaysPastDue, state.Missed));
            if (chosen is null)
                continue;
            var settings = _config.For(chosen.Value);
            if (chosen != state.Strategy)
            {
                state.Strategy = chosen;
                state.LastStrategy = chosen;
                state.StrategySince = month + 1;
                state.Assignments++;
                state.StrategiesUsed.Add(chosen.Value);
                state.Costs += (decimal)settings.AssignmentCost;
                var effect = settings.For(loan.Group(_config.Groups));
                // The response shows in the months after the assignment: it is their luck.
                state.Responded = Draws.Uniform(SeedFor(i, month + 1), i, state.Episodes, Purpose.Response, (int)chosen.Value) < effect.ResponseProbability;
                state.LumpPending = state.Responded && effect.LumpShareOfArrears > 0;
            }
            state.Costs += (decimal)settings.MonthlyCost;
            state.StrategyMonths++;
        }
        // The month ends with its decisions: its payments and the costs of the strategies just assigned are now known.
        foreach (var state in States)
        {
            state.NetToDate[month] = state.Net;
            state.StrategyAt[month] = state.Arrears > 0 ? state.Strategy : null;
            state.LegalAllowedAt[month] = _config.Compliance.AllowsLegalAction(state.DaysPastDue, state.Outstanding);
        }
    }

    private int SeedFor(int loan, int month) =>
        _otherLuck is { } other && month > other.OwnDrawsThrough[loan] ? other.Seed : _seed;

    /// <summary>Runs every month (payments, then decisions).</summary>
    public PortfolioSimulation RunAll()
    {
        for (var m = 0; m < Months; m++)
        {
            Payments(m);
            AssignStrategies(m);
        }
        return this;
    }

    private SimPayment? Pay(SimLoan loan, LoanState s, int month)
    {
        var p = _config.Payment;
        var i = loan.Index;
        var due = Math.Max(0m, Math.Min(loan.MonthlyEmi, s.Outstanding - s.Arrears));
        if (due <= 0 && s.Arrears <= 0)
            return null;
        var dueDate = DueDate(loan, month);

        var seed = SeedFor(i, month);
        var logOdds = HiddenModel.PaymentLogOdds(p, loan, s.ConsecutiveMisses, Draws.Normal(seed, i, month, Purpose.Shock));
        decimal lump = 0;
        if (s.Strategy is { } strategy && s.Arrears > 0)
        {
            var settings = _config.For(strategy);
            var effect = settings.For(loan.Group(_config.Groups));
            if (month - s.StrategySince < settings.DurationMonths)
                logOdds += s.Responded ? effect.PaymentLogOdds : effect.IgnoredLogOdds;
            if (s.LumpPending)
            {
                lump = Math.Round(s.Arrears * (decimal)effect.LumpShareOfArrears, 2);
                s.LumpPending = false;
            }
        }

        decimal paid;
        if (Draws.Uniform(seed, i, month, Purpose.PayFull) < HiddenModel.Sigmoid(logOdds))
        {
            paid = due;
            if (s.Arrears > 0 && Draws.Uniform(seed, i, month, Purpose.Cure) < p.CureProbability * loan.Ability)
                paid += s.Arrears;
        }
        else if (Draws.Uniform(seed, i, month, Purpose.Partial) < p.PartialProbability * loan.Ability)
        {
            var fraction = p.PartialFractionMin + (p.PartialFractionMax - p.PartialFractionMin) * Draws.Uniform(seed, i, month, Purpose.PartialFraction);
            paid = Math.Round(due * (decimal)fraction, 2);
        }
        else
            paid = 0;
        paid = Math.Min(paid + lump, due + s.Arrears);
        if (due == 0 && paid == 0)
            return null;

        DateOnly? paidOn = paid > 0
            ? dueDate.AddDays((int)Math.Floor(Draws.Uniform(seed, i, month, Purpose.PaymentDay) * (p.MaxDaysLate + 1) * (1 - loan.Willingness)))
            : null;

        // Accounting for recovery: what is collected from the month after the loan first fell behind.
        if (s.EverDelinquent)
            s.Collected += paid;
        var arrears = s.Arrears + due - paid;
        s.Outstanding = Math.Max(0, s.Outstanding - paid);
        if (paid == 0)
            s.Missed++;
        if (paid >= due && paidOn is { } on && on.DayNumber - dueDate.DayNumber <= LateAfterDays)
            s.OnTime++;
        else
            s.Late++;
        s.ConsecutiveMisses = arrears > 0 && paid < due ? s.ConsecutiveMisses + 1 : 0;
        if (arrears > 0)
        {
            s.OldestUnpaid ??= dueDate;
            s.DaysPastDue = (paidOn ?? dueDate).DayNumber - s.OldestUnpaid.Value.DayNumber;
        }
        else
        {
            s.OldestUnpaid = null;
            s.DaysPastDue = 0;
        }
        if (arrears > 0 && s.Arrears <= 0)
            s.Episodes++;
        if (!s.EverDelinquent && arrears > 0)
        {
            s.FirstDelinquentMonth = month;
            s.Owed = Math.Min(s.Outstanding, arrears + loan.MonthlyEmi * Math.Max(0, Months - month - 1));
        }
        s.Arrears = Math.Max(0, arrears);
        var paymentId = $"{loan.LoanId}-{dueDate:yyyy-MM}";
        return new SimPayment(i, paymentId, loan.LoanId, dueDate, due, paid, paidOn);
    }
}
