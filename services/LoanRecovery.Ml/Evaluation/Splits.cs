namespace LoanRecovery.Ml.Evaluation;

/// <summary>Row indices of one train/test partition.</summary>
public sealed record SplitIndices(int[] Train, int[] Test);

/// <summary>Stratified, seeded partitions of rows: a train/holdout split and k-fold indices.</summary>
public static class Splits
{
    /// <summary>
    /// Holds out <paramref name="holdoutFraction"/> of each class (rounded, at least one row of each class
    /// on each side when the class has two or more rows). Indices come back in ascending order.
    /// </summary>
    public static SplitIndices StratifiedHoldout(ReadOnlySpan<int> labels, double holdoutFraction, int seed)
    {
        if (holdoutFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), holdoutFraction, "The holdout fraction must lie strictly between 0 and 1.");
        var (pos, neg) = ByClass(labels);
        var rng = new Random(seed);
        Shuffle(pos, rng);
        Shuffle(neg, rng);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var cls in new[] { pos, neg })
        {
            int take = (int)Math.Round(cls.Length * holdoutFraction, MidpointRounding.AwayFromZero);
            if (cls.Length >= 2) take = Math.Clamp(take, 1, cls.Length - 1);
            for (int i = 0; i < cls.Length; i++) (i < take ? test : train).Add(cls[i]);
        }
        train.Sort();
        test.Sort();
        return new SplitIndices(train.ToArray(), test.ToArray());
    }

    /// <summary>
    /// Stratified k-fold: each class is shuffled and dealt round-robin into <paramref name="folds"/> folds, so fold
    /// sizes and class shares differ by at most one row. Fold f's Test is fold f; Train is the rest.
    /// </summary>
    public static IReadOnlyList<SplitIndices> StratifiedKFold(ReadOnlySpan<int> labels, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "At least two folds are needed.");
        var (pos, neg) = ByClass(labels);
        if (pos.Length < folds || neg.Length < folds)
            throw new ArgumentException($"{folds} folds need at least {folds} rows of each class; there are {pos.Length} positive and {neg.Length} negative rows.");
        var rng = new Random(seed);
        Shuffle(pos, rng);
        Shuffle(neg, rng);
        var assignment = new int[labels.Length];
        int next = 0;
        foreach (var cls in new[] { pos, neg })
            foreach (var row in cls) { assignment[row] = next; next = (next + 1) % folds; }
        var result = new SplitIndices[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>();
            var test = new List<int>();
            for (int i = 0; i < assignment.Length; i++) (assignment[i] == f ? test : train).Add(i);
            result[f] = new SplitIndices(train.ToArray(), test.ToArray());
        }
        return result;
    }

    private static (int[] Pos, int[] Neg) ByClass(ReadOnlySpan<int> labels)
    {
        var pos = new List<int>();
        var neg = new List<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            MetricGuards.CheckLabel(labels[i], i);
            (labels[i] == 1 ? pos : neg).Add(i);
        }
        return (pos.ToArray(), neg.ToArray());
    }

    private static void Shuffle(int[] a, Random rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
