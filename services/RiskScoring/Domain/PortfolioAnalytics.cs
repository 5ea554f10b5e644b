namespace LoanRecovery.RiskScoring.Domain;

/// <summary>How finely the portfolio analytics are cut; every count is bounded so the answer stays small at any portfolio size.</summary>
public sealed record PortfolioAnalyticsRequest(int Bins, int IncomeBands, int SamplePerSegment, int MissedPaymentsCap)
{
    public const int DefaultBins = 20, DefaultIncomeBands = 10, DefaultSamplePerSegment = 300, DefaultMissedPaymentsCap = 6;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Bins is < 2 or > 100) errors["bins"] = ["must be between 2 and 100"];
        if (IncomeBands is < 2 or > 50) errors["incomeBands"] = ["must be between 2 and 50"];
        if (SamplePerSegment is < 0 or > 2000) errors["samplePerSegment"] = ["must be between 0 and 2000"];
        if (MissedPaymentsCap is < 1 or > 60) errors["missedPaymentsCap"] = ["must be between 1 and 60"];
        return errors;
    }
}

public sealed record HistogramBin(double From, double To, int Count);

public sealed record IncomeBandAverage(double IncomeFrom, double IncomeTo, int Loans, double AverageLoanAmount);

/// <summary>Loans with a recorded outcome, by a category (payment history, missed payments) and their latest recovery status.</summary>
public sealed record CategoryStatusCount(string Category, string Status, int Loans);

/// <summary>Minimum, quartiles and maximum of monthly income and loan amount of the loans with one recovery status.</summary>
public sealed record StatusSpread(string Status, int Loans, double[] MonthlyIncome, double[] LoanAmount);

public sealed record SegmentPoint(double MonthlyIncome, double LoanAmount);

/// <summary>A segment's size and a deterministic sample of its borrowers' loans (the same loans on every call).</summary>
public sealed record SegmentSample(int SegmentId, string Label, int Borrowers, IReadOnlyList<SegmentPoint> Points);

/// <summary>The portfolio analyses of the original write-ups, aggregated in the database: a few hundred numbers at any portfolio size.</summary>
public sealed record PortfolioAnalytics(int Loans, int LoansWithOutcome, IReadOnlyList<HistogramBin> LoanAmountDistribution,
    IReadOnlyList<IncomeBandAverage> LoanAmountByIncome, IReadOnlyList<CategoryStatusCount> PaymentHistoryByStatus,
    IReadOnlyList<CategoryStatusCount> MissedPaymentsByStatus, IReadOnlyList<StatusSpread> IncomeAndAmountByStatus,
    IReadOnlyList<SegmentSample> Segments, int SamplePerSegment);

public static class Histogram
{
    /// <summary>
    /// Equal-width bins over [low, high] from the counts per 1-based bucket (PostgreSQL's width_bucket, the maximum folded into
    /// the last bin). Every bin is returned, empty ones with 0, so the distribution's shape is not distorted.
    /// </summary>
    public static IReadOnlyList<HistogramBin> Bins(double low, double high, int bins, IReadOnlyDictionary<int, int> countsByBucket)
    {
        if (countsByBucket.Count == 0)
            return [];
        if (high <= low)
            return [new HistogramBin(low, high, countsByBucket.Values.Sum())];
        var width = (high - low) / bins;
        return Enumerable.Range(1, bins)
            .Select(b => new HistogramBin(low + (b - 1) * width, b == bins ? high : low + b * width, countsByBucket.GetValueOrDefault(b)))
            .ToList();
    }

    /// <summary>The label of a missed-payments count, with every count from the cap up in one "cap+" category.</summary>
    public static string MissedPaymentsCategory(int missed, int cap) => missed >= cap ? $"{cap}+" : missed.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
