namespace LoanRecovery.Simulator.Domain;

/// <summary>One borrower with one loan, as the lender sees it, plus the hidden ability and willingness to pay.</summary>
public sealed record SimLoan(
    int Index,
    string LoanId,
    string BorrowerId,
    int Age,
    string Gender,
    string EmploymentType,
    decimal MonthlyIncome,
    int NumDependents,
    decimal LoanAmount,
    int LoanTenureMonths,
    decimal InterestRate,
    string LoanType,
    decimal CollateralValue,
    decimal OutstandingAtStart,
    decimal MonthlyEmi,
    DateOnly OpenedOn,
    int DueDay,
    double Ability,
    double Willingness)
{
    public BorrowerGroup Group(GroupSettings groups) =>
        (Ability >= groups.AbilityThreshold, Willingness >= groups.WillingnessThreshold) switch
        {
            (false, false) => BorrowerGroup.LowAbilityLowWillingness,
            (false, true) => BorrowerGroup.LowAbilityHighWillingness,
            (true, false) => BorrowerGroup.HighAbilityLowWillingness,
            _ => BorrowerGroup.HighAbilityHighWillingness,
        };

    /// <summary>The generator's ids (<c>SIM_LN_n</c>, <c>SIM_BRW_n</c>) under another prefix, so that runs against the same services do not collide.</summary>
    public SimLoan WithIdPrefix(string prefix) =>
        this with { LoanId = LoanId.Replace(PortfolioGenerator.IdPrefix, prefix + "_"), BorrowerId = BorrowerId.Replace(PortfolioGenerator.IdPrefix, prefix + "_") };
}

/// <summary>Generates the portfolio: deterministic for (config, count, seed), no I/O.</summary>
public static class PortfolioGenerator
{
    public const string IdPrefix = "SIM_";

    public static IReadOnlyList<SimLoan> Generate(SimulationConfig config, int count, int seed)
    {
        var loans = new SimLoan[count];
        for (var i = 0; i < count; i++)
            loans[i] = One(config, i, seed);
        return loans;
    }

    private static SimLoan One(SimulationConfig config, int index, int seed)
    {
        var p = config.Portfolio;
        var draw = new DrawStream(seed, index, Purpose.Portfolio);
        var age = draw.IntBetween(p.AgeMin, p.AgeMax);
        var gender = draw.NextDouble() < p.FemaleShare ? "Female" : "Male";
        var employment = draw.Pick(p.EmploymentShares.ToList());
        var income = p.IncomeMedian * p.EmploymentIncomeMultiplier[employment] * Math.Exp(p.IncomeSigma * draw.NextNormal());
        income = Math.Round(Math.Clamp(income, p.IncomeMin, p.IncomeMax));
        var dependents = PickIndex(draw.NextDouble(), p.DependentsProbabilities);

        var loanType = draw.Pick(p.LoanTypes.Select(t => new KeyValuePair<string, double>(t.Key, t.Value.Share)).ToList());
        var t = p.LoanTypes[loanType];
        // Log-uniform amounts: many small loans, fewer large ones.
        var amount = Math.Exp(draw.Between(Math.Log(t.AmountMin), Math.Log(t.AmountMax)));
        var tenure = t.Tenures[draw.IntBetween(0, t.Tenures.Length - 1)];
        var rate = Math.Round(draw.Between(t.RateMin, t.RateMax), 2);
        var emi = Emi(amount, rate, tenure);
        // Underwriting: the instalment may not exceed the configured share of income (the amount is scaled down).
        var maxEmi = p.MaxEmiShareOfIncome * income;
        if (emi > maxEmi)
        {
            amount = Math.Max(t.AmountMin * 0.2, amount * maxEmi / emi);
            emi = Emi(amount, rate, tenure);
        }
        amount = Math.Round(amount);
        emi = Math.Round(Emi(amount, rate, tenure), 2);
        var secured = draw.NextDouble() < t.SecuredShare;
        var collateral = secured ? Math.Round(amount * draw.Between(t.CollateralRatioMin, t.CollateralRatioMax), 2) : 0.0;
        var elapsed = (int)Math.Floor(tenure * draw.Between(p.SeasoningMinShare, p.SeasoningMaxShare));
        var outstanding = Math.Round(Balance(amount, rate, tenure, elapsed), 2);
        var dueDay = draw.IntBetween(1, 28);
        var opened = new DateOnly(p.StartDate.Year, p.StartDate.Month, dueDay).AddMonths(-elapsed - 1);

        var (ability, willingness) = HiddenModel.Latent(config, seed, index, age, employment, income, dependents, amount, emi,
            collateral, loanType, rate);
        return new SimLoan(index, $"{IdPrefix}LN_{index + 1}", $"{IdPrefix}BRW_{index + 1}", age, gender, employment, (decimal)income, dependents,
            (decimal)amount, tenure, (decimal)rate, loanType, (decimal)collateral, (decimal)outstanding, (decimal)emi, opened, dueDay,
            ability, willingness);
    }

    /// <summary>Equated monthly instalment of an annuity loan.</summary>
    public static double Emi(double amount, double annualRatePercent, int tenure)
    {
        var r = annualRatePercent / 1200.0;
        return r == 0 ? amount / tenure : amount * r * Math.Pow(1 + r, tenure) / (Math.Pow(1 + r, tenure) - 1);
    }

    /// <summary>Principal still owed after <paramref name="paid"/> instalments.</summary>
    public static double Balance(double amount, double annualRatePercent, int tenure, int paid)
    {
        var r = annualRatePercent / 1200.0;
        if (r == 0)
            return amount * (tenure - paid) / tenure;
        var emi = Emi(amount, annualRatePercent, tenure);
        return amount * Math.Pow(1 + r, paid) - emi * (Math.Pow(1 + r, paid) - 1) / r;
    }

    private static int PickIndex(double u, double[] weights)
    {
        var x = u * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            if (x < weights[i])
                return i;
            x -= weights[i];
        }
        return weights.Length - 1;
    }
}
