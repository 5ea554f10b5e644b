namespace LoanRecovery.Ml.Trees;

/// <summary>How categorical features are split.</summary>
public enum CategoricalMode
{
    /// <summary>One category against the rest.</summary>
    OneHot,

    /// <summary>Categories sorted by gradient ratio, the best prefix of that order goes left.</summary>
    Native,
}

/// <summary>Settings of <see cref="GradientBoostingTrainer"/>. Defaults follow common gradient boosting practice.</summary>
public sealed class GradientBoostingOptions
{
    public int Trees { get; init; } = 300;
    public int MaxDepth { get; init; } = 6;

    /// <summary>Upper bound on leaves per tree; when set, the split with the best gain is expanded first.</summary>
    public int? MaxLeaves { get; init; }

    public double LearningRate { get; init; } = 0.1;
    public double L2 { get; init; } = 1.0;

    /// <summary>Minimum hessian sum in each child.</summary>
    public double MinChildWeight { get; init; } = 1.0;

    public double MinSplitGain { get; init; }
    public double RowSubsample { get; init; } = 1.0;

    /// <summary>Fraction of features sampled for each tree.</summary>
    public double ColSubsample { get; init; } = 1.0;

    /// <summary>Value bins per feature (missing values have their own bin); at most 255.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>Stop when the validation log loss has not improved for this many trees; needs a validation set.</summary>
    public int? EarlyStoppingRounds { get; init; }

    /// <summary>Per feature: +1 (score non-decreasing in the feature), -1 (non-increasing) or 0. Numeric features only.</summary>
    public IReadOnlyList<int>? MonotoneConstraints { get; init; }

    public CategoricalMode CategoricalMode { get; init; } = CategoricalMode.Native;

    /// <summary>Smoothing added to the hessian when ordering categories in native mode.</summary>
    public double CategoricalSmoothing { get; init; } = 1.0;

    public int Seed { get; init; } = 42;

    /// <summary>Threads used for histogram building; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    internal void Validate(int featureCount)
    {
        Require(Trees >= 1, "Trees must be at least 1.");
        Require(MaxDepth is >= 1 and <= 64, "MaxDepth must be between 1 and 64.");
        Require(MaxLeaves is null or >= 2, "MaxLeaves must be at least 2.");
        Require(LearningRate > 0 && LearningRate <= 1, "LearningRate must be in (0, 1].");
        Require(L2 >= 0 && double.IsFinite(L2), "L2 must be non-negative.");
        Require(MinChildWeight >= 0 && double.IsFinite(MinChildWeight), "MinChildWeight must be non-negative.");
        Require(MinSplitGain >= 0 && double.IsFinite(MinSplitGain), "MinSplitGain must be non-negative.");
        Require(RowSubsample > 0 && RowSubsample <= 1, "RowSubsample must be in (0, 1].");
        Require(ColSubsample > 0 && ColSubsample <= 1, "ColSubsample must be in (0, 1].");
        Require(MaxBins is >= 2 and <= 255, "MaxBins must be between 2 and 255.");
        Require(EarlyStoppingRounds is null or >= 1, "EarlyStoppingRounds must be at least 1.");
        Require(CategoricalSmoothing >= 0, "CategoricalSmoothing must be non-negative.");
        Require(Threads >= 1, "Threads must be at least 1.");
        if (MonotoneConstraints is not null)
        {
            Require(MonotoneConstraints.Count == featureCount, $"MonotoneConstraints must have one entry per feature ({featureCount}).");
            foreach (var c in MonotoneConstraints) Require(c is -1 or 0 or 1, "MonotoneConstraints entries must be -1, 0 or +1.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}

/// <summary>Settings of <see cref="RandomForestTrainer"/>.</summary>
public sealed class RandomForestOptions
{
    public int Trees { get; init; } = 300;

    /// <summary>Null = grow until leaves are pure or <see cref="MinSamplesLeaf"/> stops them.</summary>
    public int? MaxDepth { get; init; }

    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Fraction of features considered at each split; 0 = sqrt(feature count).</summary>
    public double MaxFeatures { get; init; }

    public bool Bootstrap { get; init; } = true;
    public int MaxBins { get; init; } = 255;
    public int Seed { get; init; } = 42;

    /// <summary>Trees built in parallel; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    internal void Validate()
    {
        if (Trees < 1) throw new ArgumentException("Trees must be at least 1.");
        if (MaxDepth is < 1 or > 512) throw new ArgumentException("MaxDepth must be between 1 and 512.");
        if (MinSamplesLeaf < 1) throw new ArgumentException("MinSamplesLeaf must be at least 1.");
        if (MaxFeatures < 0 || MaxFeatures > 1) throw new ArgumentException("MaxFeatures must be in [0, 1].");
        if (MaxBins is < 2 or > 255) throw new ArgumentException("MaxBins must be between 2 and 255.");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1.");
    }
}
