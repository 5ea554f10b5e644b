using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>A scored loan as drift sees it.</summary>
public sealed record ScoredPoint(double Probability, IReadOnlyDictionary<string, double?> Features);

public sealed record DriftItem(string Variable, double? Psi, bool Flagged, string Interpretation, IReadOnlyList<PsiBin> Bins);

public sealed record DriftReport(string? ModelVersion, int ReferenceLoans, int CurrentLoans, bool Computed, string Statement, bool AnyFlagged, IReadOnlyList<DriftItem> Items);

/// <summary>
/// Population stability index of the score ("score") and of every model feature between a reference sample and a current
/// sample, with the reference's deciles as bins (missing values in a bin of their own); flagged above the threshold.
/// </summary>
public static class Drift
{
    public const string ScoreVariable = "score";

    public static DriftReport Compute(string? modelVersion, IReadOnlyList<ScoredPoint> reference, IReadOnlyList<ScoredPoint> current,
        double flagAbove, int bins, int minimumSample)
    {
        if (reference.Count < minimumSample || current.Count < minimumSample)
            return new DriftReport(modelVersion, reference.Count, current.Count, false,
                $"Not computed: {reference.Count} reference and {current.Count} current scored loans; {minimumSample} of each are needed.", false, []);
        var items = new List<DriftItem> { Item(ScoreVariable, reference.Select(p => p.Probability).ToArray(), current.Select(p => p.Probability).ToArray(), flagAbove, bins) };
        var features = reference.SelectMany(p => p.Features.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var feature in features)
            items.Add(Item(feature, Values(reference, feature), Values(current, feature), flagAbove, bins));
        var flagged = items.Where(i => i.Flagged).Select(i => i.Variable).ToList();
        return new DriftReport(modelVersion, reference.Count, current.Count, true,
            flagged.Count == 0 ? $"No variable's PSI is above {flagAbove}." : $"PSI above {flagAbove} for: {string.Join(", ", flagged)}.",
            flagged.Count > 0, items);
    }

    private static double[] Values(IReadOnlyList<ScoredPoint> points, string feature) =>
        points.Select(p => p.Features.TryGetValue(feature, out var v) && v is { } x ? x : double.NaN).ToArray();

    private static DriftItem Item(string variable, double[] reference, double[] current, double flagAbove, int bins)
    {
        var psi = Psi.Compute(reference, current, bins);
        return new DriftItem(variable, psi.Value, psi.Value > flagAbove, psi.Interpretation, psi.Bins);
    }
}
