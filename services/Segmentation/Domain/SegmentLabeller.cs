namespace LoanRecovery.Segmentation.Domain;

/// <summary>When a centroid is delinquent enough to be named "behind on payments".</summary>
public sealed record LabelThresholds(double BehindDaysPastDue, double BehindMissedPayments);

/// <summary>Portfolio terciles the income and loan-size words are taken from.</summary>
public sealed record LabelBasis(double IncomeLowerTercile, double IncomeUpperTercile, double LoanLowerTercile, double LoanUpperTercile);

/// <summary>
/// Names segments from their centroids in a collections team's words: the income and loan-size terciles of the
/// portfolio ("low income, moderate loan"), "behind on payments" when the centroid's days past due or missed payments
/// reach the thresholds, and — where two segments would share a name — the next most distinctive feature among them
/// in comparative words ("heavier instalment burden"), until every name in the model is different.
/// </summary>
public static class SegmentLabeller
{
    private static readonly (string Higher, string Lower)[] Comparatives =
    [
        ("higher income", "lower income"),
        ("larger loans", "smaller loans"),
        ("more outstanding", "less outstanding"),
        ("heavier instalment burden", "lighter instalment burden"),
        ("more missed payments", "fewer missed payments"),
        ("longer overdue", "less overdue"),
        ("better collateral cover", "thinner collateral cover"),
    ];

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    public static LabelBasis BasisOf(IReadOnlyList<double[]> portfolio)
    {
        var income = portfolio.Select(r => r[BorrowerFeatures.MonthlyIncomeIndex]).Order().ToArray();
        var loans = portfolio.Select(r => r[BorrowerFeatures.LoanAmountIndex]).Order().ToArray();
        return new LabelBasis(Quantile(income, 1.0 / 3), Quantile(income, 2.0 / 3), Quantile(loans, 1.0 / 3), Quantile(loans, 2.0 / 3));
    }

    /// <param name="centroids">Centroids in original units, in segment order.</param>
    /// <param name="clusteringCentroids">The same centroids as z-scores, used to find the most distinctive feature.</param>
    /// <param name="basis">Portfolio terciles of income and loan amount.</param>
    /// <param name="thresholds">When a centroid is "behind on payments".</param>
    public static IReadOnlyList<string> Label(IReadOnlyList<double[]> centroids, IReadOnlyList<double[]> clusteringCentroids,
        LabelBasis basis, LabelThresholds thresholds)
    {
        var k = centroids.Count;
        var parts = new List<string>[k];
        var used = new HashSet<int>[k];
        for (var c = 0; c < k; c++)
        {
            var centroid = centroids[c];
            parts[c] = [IncomeWord(centroid[BorrowerFeatures.MonthlyIncomeIndex], basis) + " income",
                        LoanWord(centroid[BorrowerFeatures.LoanAmountIndex], basis) + " loan"];
            used[c] = [BorrowerFeatures.MonthlyIncomeIndex, BorrowerFeatures.LoanAmountIndex];
            if (centroid[BorrowerFeatures.DaysPastDueIndex] >= thresholds.BehindDaysPastDue
                || centroid[BorrowerFeatures.MissedPaymentsIndex] >= thresholds.BehindMissedPayments)
            {
                parts[c].Add("behind on payments");
                used[c].UnionWith([BorrowerFeatures.DaysPastDueIndex, BorrowerFeatures.MissedPaymentsIndex]);
            }
        }

        var dimensions = Comparatives.Length;
        for (var round = 0; round < dimensions; round++)
        {
            var clashes = Clashes(parts);
            if (clashes.Count == 0)
                break;
            foreach (var group in clashes)
            {
                // The feature not named yet on which the clashing segments differ most (in standard deviations).
                var best = -1;
                var bestSpread = 0.0;
                for (var j = 0; j < dimensions; j++)
                {
                    if (group.Any(c => used[c].Contains(j)))
                        continue;
                    var values = group.Select(c => clusteringCentroids[c][j]).ToArray();
                    var spread = values.Max() - values.Min();
                    if (spread > bestSpread)
                    {
                        bestSpread = spread;
                        best = j;
                    }
                }
                if (best < 0)
                    continue;
                var mean = group.Average(c => clusteringCentroids[c][best]);
                foreach (var c in group)
                {
                    parts[c].Add(clusteringCentroids[c][best] > mean ? Comparatives[best].Higher : Comparatives[best].Lower);
                    used[c].Add(best);
                }
            }
        }

        // Centroids that agree on every feature (which k-means does not produce on real data): number them in words.
        foreach (var group in Clashes(parts))
            for (var i = 0; i < group.Count; i++)
                parts[group[i]].Add((i < Ordinals.Length ? Ordinals[i] : "another") + " group");
        return parts.Select(p => string.Join(", ", p)).ToArray();
    }

    private static List<List<int>> Clashes(List<string>[] parts) =>
        Enumerable.Range(0, parts.Length)
            .GroupBy(c => string.Join(", ", parts[c]), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.ToList())
            .ToList();

    private static string IncomeWord(double income, LabelBasis basis) =>
        income < basis.IncomeLowerTercile ? "low" : income <= basis.IncomeUpperTercile ? "middle" : "high";

    private static string LoanWord(double amount, LabelBasis basis) =>
        amount < basis.LoanLowerTercile ? "small" : amount <= basis.LoanUpperTercile ? "moderate" : "large";

    /// <summary>Linear interpolation between order statistics (the usual "type 7" quantile).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
            return 0;
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
