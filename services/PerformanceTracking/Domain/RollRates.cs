using System.Globalization;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>A loan's days past due as one payment left it.</summary>
public sealed record DelinquencyPoint(string LoanId, DateOnly DueDate, DateTimeOffset RecordedAt, int DaysPastDue);

public sealed record RollRateCell(string To, int Loans, double Share);

public sealed record RollRateRow(string From, int Transitions, IReadOnlyList<RollRateCell> To);

/// <summary>
/// Roll rates: for consecutive payments of the same loan (in due-date order), how often a loan in one days-past-due bucket
/// is in each bucket at the next payment.
/// </summary>
public static class RollRates
{
    public static IReadOnlyList<string> Buckets(IReadOnlyList<int> upperBounds)
    {
        var labels = new List<string> { "current" };
        int lower = 1;
        foreach (var upper in upperBounds.Where(u => u > 0))
        {
            labels.Add(string.Create(CultureInfo.InvariantCulture, $"{lower}-{upper}"));
            lower = upper + 1;
        }
        labels.Add(string.Create(CultureInfo.InvariantCulture, $"{lower}+"));
        return labels;
    }

    public static string BucketOf(int daysPastDue, IReadOnlyList<int> upperBounds)
    {
        var labels = Buckets(upperBounds);
        if (daysPastDue <= 0) return labels[0];
        var bounds = upperBounds.Where(u => u > 0).ToList();
        for (int i = 0; i < bounds.Count; i++)
            if (daysPastDue <= bounds[i]) return labels[i + 1];
        return labels[^1];
    }

    public static IReadOnlyList<RollRateRow> Compute(IEnumerable<DelinquencyPoint> points, IReadOnlyList<int> upperBounds)
    {
        var labels = Buckets(upperBounds);
        var counts = labels.ToDictionary(l => l, _ => labels.ToDictionary(l => l, _ => 0));
        foreach (var loan in points.GroupBy(p => p.LoanId))
        {
            var ordered = loan.OrderBy(p => p.DueDate).ThenBy(p => p.RecordedAt).ToList();
            for (int i = 1; i < ordered.Count; i++)
                counts[BucketOf(ordered[i - 1].DaysPastDue, upperBounds)][BucketOf(ordered[i].DaysPastDue, upperBounds)]++;
        }
        return labels.Select(from =>
        {
            int total = counts[from].Values.Sum();
            return new RollRateRow(from, total, labels.Select(to => new RollRateCell(to, counts[from][to], total > 0 ? (double)counts[from][to] / total : 0)).ToList());
        }).ToList();
    }
}
