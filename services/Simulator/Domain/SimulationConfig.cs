using System.Text.Json;
using System.Text.Json.Serialization;
using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>
/// Every behavioural parameter of the simulation: who the borrowers are, what drives their hidden ability and
/// willingness to pay, how those drive payments, and how each strategy changes them. The services never see it.
/// </summary>
public sealed class SimulationConfig
{
    public required PortfolioSettings Portfolio { get; init; }
    public required AbilitySettings Ability { get; init; }
    public required WillingnessSettings Willingness { get; init; }
    public required PaymentSettings Payment { get; init; }
    public required GroupSettings Groups { get; init; }
    public required Dictionary<string, StrategySettings> Strategies { get; init; }
    public required BaselineSettings Baseline { get; init; }
    public required HistorySettings History { get; init; }
    public required FloorSettings Floor { get; init; }
    /// <summary>
    /// The compliance limits the replayed policies (baseline, fixed strategies, oracle) are held to, as the running system is
    /// by StrategyAssignment's guard. Optional in the file: absent, StrategyAssignment's defaults apply.
    /// </summary>
    public ComplianceSettings Compliance { get; init; } = new();

    public StrategySettings For(RecoveryStrategy strategy) => Strategies[strategy.ToString()];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Parses and validates a simulation file; every problem is reported with the field's path.</summary>
    public static SimulationConfig Parse(string json, string source)
    {
        SimulationConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<SimulationConfig>(json, Json);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at {ex.Path.TrimStart('$', '.')}";
            throw new SimulationConfigException($"{source}{path}: {ex.Message.Split(" Path:")[0]}");
        }
        if (config is null)
            throw new SimulationConfigException($"{source}: the file is empty");
        var errors = config.Validate();
        if (errors.Count > 0)
            throw new SimulationConfigException($"{source} is not a valid simulation file:\n  " + string.Join("\n  ", errors));
        return config;
    }

    public List<string> Validate()
    {
        var e = new List<string>();
        var p = Portfolio;
        Range(e, "portfolio.ageMin", p.AgeMin, 18, 100);
        Range(e, "portfolio.ageMax", p.AgeMax, p.AgeMin, 100);
        Range(e, "portfolio.femaleShare", p.FemaleShare, 0, 1);
        Weights(e, "portfolio.employmentShares", p.EmploymentShares, ["Salaried", "Self-Employed", "Business Owner", "Unemployed"]);
        Positive(e, "portfolio.incomeMedian", p.IncomeMedian);
        Range(e, "portfolio.incomeSigma", p.IncomeSigma, 0, 3);
        Positive(e, "portfolio.incomeMin", p.IncomeMin);
        Range(e, "portfolio.incomeMax", p.IncomeMax, p.IncomeMin, double.MaxValue);
        foreach (var key in p.EmploymentShares.Keys)
            if (!p.EmploymentIncomeMultiplier.TryGetValue(key, out var m) || m <= 0)
                e.Add($"portfolio.employmentIncomeMultiplier.{key}: needs a positive multiplier for every employment type");
        if (p.DependentsProbabilities.Length == 0 || p.DependentsProbabilities.Any(x => x < 0) || p.DependentsProbabilities.Sum() <= 0)
            e.Add("portfolio.dependentsProbabilities: needs at least one non-negative probability (index = number of dependents)");
        Range(e, "portfolio.seasoningMinShare", p.SeasoningMinShare, 0, 0.95);
        Range(e, "portfolio.seasoningMaxShare", p.SeasoningMaxShare, p.SeasoningMinShare, 0.95);
        Range(e, "portfolio.maxEmiShareOfIncome", p.MaxEmiShareOfIncome, 0.01, 5);
        if (p.LoanTypes.Count == 0)
            e.Add("portfolio.loanTypes: needs at least one loan type");
        foreach (var (name, t) in p.LoanTypes)
        {
            var f = $"portfolio.loanTypes.{name}";
            if (name is not ("Home" or "Auto" or "Personal" or "Business"))
                e.Add($"{f}: unknown loan type (Home, Auto, Personal, Business)");
            Range(e, $"{f}.share", t.Share, 0, double.MaxValue);
            Positive(e, $"{f}.amountMin", t.AmountMin);
            Range(e, $"{f}.amountMax", t.AmountMax, t.AmountMin, double.MaxValue);
            if (t.Tenures.Length == 0 || t.Tenures.Any(x => x is < 1 or > 600))
                e.Add($"{f}.tenures: needs at least one tenure of 1–600 months");
            Range(e, $"{f}.rateMin", t.RateMin, 0, 100);
            Range(e, $"{f}.rateMax", t.RateMax, t.RateMin, 100);
            Range(e, $"{f}.securedShare", t.SecuredShare, 0, 1);
            Range(e, $"{f}.collateralRatioMin", t.CollateralRatioMin, 0, 10);
            Range(e, $"{f}.collateralRatioMax", t.CollateralRatioMax, t.CollateralRatioMin, 10);
        }
        if (p.LoanTypes.Values.Sum(t => t.Share) <= 0)
            e.Add("portfolio.loanTypes: the shares must not all be 0");

        var a = Ability;
        Positive(e, "ability.affordabilityScale", a.AffordabilityScale);
        Range(e, "ability.noise", a.Noise, 0, 10);
        foreach (var key in p.EmploymentShares.Keys)
            if (!a.Employment.ContainsKey(key))
                e.Add($"ability.employment.{key}: needs an effect for every employment type in portfolio.employmentShares");
        Range(e, "willingness.noise", Willingness.Noise, 0, 10);
        Range(e, "willingness.collateralCap", Willingness.CollateralCap, 0, 10);
        foreach (var key in p.LoanTypes.Keys)
            if (!Willingness.LoanType.ContainsKey(key))
                e.Add($"willingness.loanType.{key}: needs an effect for every loan type in portfolio.loanTypes");

        var pay = Payment;
        Range(e, "payment.shockSd", pay.ShockSd, 0, 10);
        Range(e, "payment.arrearsDragPerMissed", pay.ArrearsDragPerMissed, -10, 10);
        Range(e, "payment.partialProbability", pay.PartialProbability, 0, 1);
        Range(e, "payment.partialFractionMin", pay.PartialFractionMin, 0.01, 1);
        Range(e, "payment.partialFractionMax", pay.PartialFractionMax, pay.PartialFractionMin, 1);
        Range(e, "payment.cureProbability", pay.CureProbability, 0, 1);
        Range(e, "payment.maxDaysLate", pay.MaxDaysLate, 0, 27);

        Range(e, "groups.abilityThreshold", Groups.AbilityThreshold, 0, 1);
        Range(e, "groups.willingnessThreshold", Groups.WillingnessThreshold, 0, 1);

        foreach (var s in Enum.GetNames<RecoveryStrategy>())
        {
            if (!Strategies.TryGetValue(s, out var st))
            {
                e.Add($"strategies.{s}: is required");
                continue;
            }
            var f = $"strategies.{s}";
            Range(e, $"{f}.assignmentCost", st.AssignmentCost, 0, double.MaxValue);
            Range(e, $"{f}.monthlyCost", st.MonthlyCost, 0, double.MaxValue);
            Range(e, $"{f}.durationMonths", st.DurationMonths, 1, 120);
            foreach (var g in Enum.GetNames<BorrowerGroup>())
            {
                if (!st.Effects.TryGetValue(g, out var effect))
                {
                    e.Add($"{f}.effects.{g}: is required");
                    continue;
                }
                Range(e, $"{f}.effects.{g}.responseProbability", effect.ResponseProbability, 0, 1);
                Range(e, $"{f}.effects.{g}.paymentLogOdds", effect.PaymentLogOdds, -10, 10);
                Range(e, $"{f}.effects.{g}.ignoredLogOdds", effect.IgnoredLogOdds, -10, 10);
                Range(e, $"{f}.effects.{g}.lumpShareOfArrears", effect.LumpShareOfArrears, 0, 1);
            }
            foreach (var g in st.Effects.Keys.Where(k => !Enum.GetNames<BorrowerGroup>().Contains(k)))
                e.Add($"{f}.effects.{g}: unknown group ({string.Join(", ", Enum.GetNames<BorrowerGroup>())})");
        }
        foreach (var s in Strategies.Keys.Where(k => !Enum.GetNames<RecoveryStrategy>().Contains(k)))
            e.Add($"strategies.{s}: unknown strategy (Reminder, Settlement, LegalAction)");

        Range(e, "baseline.legalDaysPastDue", Baseline.LegalDaysPastDue, 0, 10_000);
        Range(e, "baseline.legalMissedPayments", Baseline.LegalMissedPayments, 0, 1_000);
        Range(e, "baseline.settlementDaysPastDue", Baseline.SettlementDaysPastDue, 0, 10_000);
        Range(e, "baseline.settlementMissedPayments", Baseline.SettlementMissedPayments, 0, 1_000);

        Range(e, "history.months", History.Months, 1, 120);
        Range(e, "history.randomStrategyShare", History.RandomStrategyShare, 0, 1);
        Range(e, "history.writtenOffBelow", History.WrittenOffBelow, 0, 1);

        Range(e, "compliance.legalMinDaysPastDue", Compliance.LegalMinDaysPastDue, 0, 10_000);
        Range(e, "compliance.legalMinBalance", (double)Compliance.LegalMinBalance, 0, 1_000_000_000);

        Range(e, "floor.promiseDays", Floor.PromiseDays, 1, 365);
        Range(e, "floor.reachProbability", Floor.ReachProbability, 0, 1);
        if (string.IsNullOrWhiteSpace(Floor.Officer))
            e.Add("floor.officer: is required");
        return e;
    }

    private static void Range(List<string> e, string field, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
            e.Add(max == double.MaxValue ? $"{field}: must be at least {min} (was {value})" : $"{field}: must be between {min} and {max} (was {value})");
    }

    private static void Positive(List<string> e, string field, double value)
    {
        if (!(value > 0))
            e.Add($"{field}: must be above 0 (was {value})");
    }

    private static void Weights(List<string> e, string field, Dictionary<string, double> weights, string[] allowed)
    {
        if (weights.Count == 0 || weights.Values.Any(w => w < 0) || weights.Values.Sum() <= 0)
            e.Add($"{field}: needs non-negative shares that are not all 0");
        foreach (var key in weights.Keys.Where(k => !allowed.Contains(k)))
            e.Add($"{field}.{key}: unknown value ({string.Join(", ", allowed)})");
    }
}

public sealed class SimulationConfigException(string message) : Exception(message);

/// <summary>The four kinds of borrower a strategy's effect is given for (split at <see cref="GroupSettings"/>).</summary>
public enum BorrowerGroup
{
    LowAbilityLowWillingness,
    LowAbilityHighWillingness,
    HighAbilityLowWillingness,
    HighAbilityHighWillingness,
}

public sealed class PortfolioSettings
{
    public required DateOnly StartDate { get; init; }
    public required int AgeMin { get; init; }
    public required int AgeMax { get; init; }
    public required double FemaleShare { get; init; }
    public required Dictionary<string, double> EmploymentShares { get; init; }
    public required double IncomeMedian { get; init; }
    public required double IncomeSigma { get; init; }
    public required double IncomeMin { get; init; }
    public required double IncomeMax { get; init; }
    public required Dictionary<string, double> EmploymentIncomeMultiplier { get; init; }
    public required double[] DependentsProbabilities { get; init; }
    public required Dictionary<string, LoanTypeSettings> LoanTypes { get; init; }
    public required double SeasoningMinShare { get; init; }
    public required double SeasoningMaxShare { get; init; }
    public required double MaxEmiShareOfIncome { get; init; }
}

public sealed class LoanTypeSettings
{
    public required double Share { get; init; }
    public required double AmountMin { get; init; }
    public required double AmountMax { get; init; }
    public required int[] Tenures { get; init; }
    public required double RateMin { get; init; }
    public required double RateMax { get; init; }
    public required double SecuredShare { get; init; }
    public required double CollateralRatioMin { get; init; }
    public required double CollateralRatioMax { get; init; }
}

public sealed class AbilitySettings
{
    public required double Intercept { get; init; }
    public required double Affordability { get; init; }
    public required double AffordabilityKnee { get; init; }
    public required double AffordabilityScale { get; init; }
    public required Dictionary<string, double> Employment { get; init; }
    public required double PerDependent { get; init; }
    public required double DependentsLowIncomeExtra { get; init; }
    public required double LowIncome { get; init; }
    public required double AgeOptimum { get; init; }
    public required double AgeCurvature { get; init; }
    public required double Noise { get; init; }
}

public sealed class WillingnessSettings
{
    public required double Intercept { get; init; }
    public required double Collateral { get; init; }
    public required double CollateralCap { get; init; }
    public required Dictionary<string, double> LoanType { get; init; }
    public required double AgePerDecade { get; init; }
    public required double RateKnee { get; init; }
    public required double RatePenalty { get; init; }
    public required double Noise { get; init; }
}

public sealed class PaymentSettings
{
    public required double Intercept { get; init; }
    public required double Ability { get; init; }
    public required double Willingness { get; init; }
    public required double Interaction { get; init; }
    public required double ShockSd { get; init; }
    public required double ArrearsDragPerMissed { get; init; }
    public required double PartialProbability { get; init; }
    public required double PartialFractionMin { get; init; }
    public required double PartialFractionMax { get; init; }
    public required double CureProbability { get; init; }
    public required int MaxDaysLate { get; init; }
}

public sealed class GroupSettings
{
    public required double AbilityThreshold { get; init; }
    public required double WillingnessThreshold { get; init; }
}

public sealed class StrategySettings
{
    public required double AssignmentCost { get; init; }
    public required double MonthlyCost { get; init; }
    public required int DurationMonths { get; init; }
    public required Dictionary<string, TreatmentEffect> Effects { get; init; }

    public TreatmentEffect For(BorrowerGroup group) => Effects[group.ToString()];
}

public sealed class TreatmentEffect
{
    public required double ResponseProbability { get; init; }
    public required double PaymentLogOdds { get; init; }
    public required double IgnoredLogOdds { get; init; }
    public required double LumpShareOfArrears { get; init; }
}

public sealed class BaselineSettings
{
    public required int LegalDaysPastDue { get; init; }
    public required int LegalMissedPayments { get; init; }
    public required int SettlementDaysPastDue { get; init; }
    public required int SettlementMissedPayments { get; init; }
}

/// <summary>
/// StrategyAssignment's compliance guard as the simulator replays it: legal action only from <see cref="LegalMinDaysPastDue"/>
/// days past due and an outstanding balance of <see cref="LegalMinBalance"/>, else the next allowed strategy (settlement).
/// The defaults are StrategyAssignment's (<c>LegalMinDaysPastDue</c> 60, <c>LegalMinBalance</c> 1,000); a system run with other
/// limits needs the same values here. The simulator never reads the services' configuration.
/// </summary>
public sealed class ComplianceSettings
{
    public int LegalMinDaysPastDue { get; init; } = 60;
    public decimal LegalMinBalance { get; init; } = 1000m;

    /// <summary>Whether legal action is allowed for a loan in this state.</summary>
    public bool AllowsLegalAction(int daysPastDue, decimal outstanding) => daysPastDue >= LegalMinDaysPastDue && outstanding >= LegalMinBalance;
}

public sealed class HistorySettings
{
    public required int Months { get; init; }
    public required double RandomStrategyShare { get; init; }
    public required double WrittenOffBelow { get; init; }
}

public sealed class FloorSettings
{
    public required string Officer { get; init; }
    public required int PromiseDays { get; init; }
    public required double ReachProbability { get; init; }
}
