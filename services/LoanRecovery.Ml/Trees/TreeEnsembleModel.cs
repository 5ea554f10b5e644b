using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LoanRecovery.Ml.Explain;
using LoanRecovery.Ml.Serialization;

namespace LoanRecovery.Ml.Trees;

public enum ModelKind
{
    GradientBoosting,
    RandomForest,
}

/// <summary>A scoring model made of decision trees.</summary>
public interface ITreeEnsemble
{
    ModelKind Kind { get; }
    FeatureSchema Schema { get; }
    int TreeCount { get; }

    /// <summary>Mean raw output over the training data as the path-dependent TreeSHAP baseline.</summary>
    double ExpectedValue { get; }

    /// <summary>Boosting: log-odds. Forest: mean leaf probability.</summary>
    double PredictRaw(ReadOnlySpan<double> row);

    /// <summary>Uncalibrated probability of label 1.</summary>
    double PredictProbability(ReadOnlySpan<double> row);

    /// <summary>Calibrated probability when a calibrator is attached, otherwise the uncalibrated one.</summary>
    double PredictCalibrated(ReadOnlySpan<double> row);

    /// <summary>Exact path-dependent TreeSHAP values in raw space:
    /// sum(contributions) + ExpectedValue == PredictRaw(row).</summary>
    void Shap(ReadOnlySpan<double> row, Span<double> contributions);
}

/// <summary>Common part of boosted and random-forest models: flattened prediction, TreeSHAP, metadata.</summary>
public abstract class TreeEnsembleModel : ITreeEnsemble
{
    /// <summary>16-byte node: children of a node are adjacent (right = left + 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PackedNode
    {
        public double Value;     // numeric threshold or category bit-set offset; +inf for leaves
        public int Left;         // leaves point to themselves so every tree can be walked a fixed number of steps
        public int Info;         // feature index | DefaultLeftFlag | CategoricalFlag
    }

    private const int FeatureMask = 0x00FF_FFFF;
    private const int DefaultLeftFlag = 1 << 30;
    private const int CategoricalFlag = 1 << 29;

    private readonly PackedNode[] _nodes;
    private readonly double[] _leafValues;
    private readonly int[] _roots;
    private readonly int[] _depths;
    private readonly ulong[] _categoryBits;
    private readonly int[] _categoryWords;
    private readonly Lazy<TreeShapExplainer> _explainer;
    private readonly double _expectedValue;

    private protected TreeEnsembleModel(FeatureSchema schema, IReadOnlyList<DecisionTree> trees, double bias, double treeScale,
        double[]?[]? binEdges)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(trees);
        Schema = schema;
        Trees = trees;
        Bias = bias;
        TreeScale = treeScale;
        BinEdges = binEdges ?? new double[]?[schema.Count];
        for (var t = 0; t < trees.Count; t++)
        {
            var problem = trees[t].Check(schema);
            if (problem is not null) throw new ModelFileException($"Tree {t} is invalid: {problem}.");
        }

        _categoryWords = new int[schema.Count];
        for (var f = 0; f < schema.Count; f++) _categoryWords[f] = (schema[f].CategoryCount + 63) / 64;
        var total = 0;
        foreach (var tree in trees) total += tree.NodeCount;
        if (schema.Count > FeatureMask) throw new ArgumentException("Too many features.", nameof(schema));
        _nodes = new PackedNode[total];
        _leafValues = new double[total];
        _roots = new int[trees.Count];
        _depths = new int[trees.Count];
        var bits = new List<ulong>();
        var at = 0;
        var expected = 0.0;
        var queue = new Queue<(int Old, int New)>();
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _roots[t] = at;
            // breadth-first relayout so that siblings sit next to each other
            var next = at + 1;
            queue.Enqueue((0, at));
            while (queue.Count > 0)
            {
                var (i, slot) = queue.Dequeue();
                ref var n = ref _nodes[slot];
                var f = tree.Feature[i];
                if (f < 0)
                {
                    n.Value = double.PositiveInfinity;
                    n.Left = slot;
                    n.Info = DefaultLeftFlag;
                    _leafValues[slot] = tree.Value[i];
                    continue;
                }
                n.Left = next;
                queue.Enqueue((tree.Left[i], next));
                queue.Enqueue((tree.Right[i], next + 1));
                next += 2;
                n.Info = f | (tree.DefaultLeft[i] ? DefaultLeftFlag : 0);
                var cats = tree.CategoriesLeft[i];
                if (cats is null)
                {
                    n.Value = tree.Threshold[i];
                }
                else
                {
                    n.Info |= CategoricalFlag;
                    n.Value = bits.Count;
                    var words = _categoryWords[f];
                    var start = bits.Count;
                    for (var w = 0; w < words; w++) bits.Add(0);
                    foreach (var c in cats) bits[start + (c >> 6)] |= 1UL << (c & 63);
                }
            }
            at += tree.NodeCount;
            _depths[t] = tree.Depth();
            expected += tree.ExpectedValue();
        }
        _categoryBits = bits.ToArray();
        _expectedValue = bias + treeScale * expected;
        _explainer = new Lazy<TreeShapExplainer>(() => new TreeShapExplainer(Trees, schema.Count), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public abstract ModelKind Kind { get; }

    public FeatureSchema Schema { get; }

    internal IReadOnlyList<DecisionTree> Trees { get; }

    /// <summary>raw = Bias + TreeScale * sum of tree outputs.</summary>
    internal double Bias { get; }

    internal double TreeScale { get; }

    /// <summary>Bin edges used in training per feature (numeric features), kept for documentation in model files.</summary>
    internal double[]?[] BinEdges { get; }

    public int TreeCount => Trees.Count;

    /// <summary>Nodes over all trees (internal nodes and leaves).</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>Depth of the deepest tree (a single leaf has depth 0).</summary>
    public int MaxTreeDepth => _depths.Length == 0 ? 0 : _depths.Max();

    public double ExpectedValue => _expectedValue;

    /// <summary>Optional probability calibrator applied by <see cref="PredictCalibrated(ReadOnlySpan{double})"/>.</summary>
    public ICalibrator? Calibrator { get; set; }

    /// <summary>Free-form training metadata (options, row counts, dates).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Free-form evaluation numbers (AUC, Brier...).</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public double PredictRaw(ReadOnlySpan<double> row)
    {
        if (row.Length < Schema.Count)
            throw new ArgumentException($"Row has {row.Length} values; the model needs {Schema.Count}.", nameof(row));
        return Bias + TreeScale * SumTrees(row);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SumTrees(ReadOnlySpan<double> row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_leafValues);
        ref var x0 = ref MemoryMarshal.GetReference(row);
        var sum = 0.0;
        var roots = _roots;
        var depths = _depths;
        var t = 0;
        // four trees walked in lock step: their memory accesses overlap instead of waiting on each other
        for (; t + 4 <= roots.Length; t += 4)
        {
            int a = roots[t], b = roots[t + 1], c = roots[t + 2], d = roots[t + 3];
            var depth = Math.Max(Math.Max(depths[t], depths[t + 1]), Math.Max(depths[t + 2], depths[t + 3]));
            for (var level = 0; level < depth; level++)
            {
                a = Step(ref nodes, ref x0, a);
                b = Step(ref nodes, ref x0, b);
                c = Step(ref nodes, ref x0, c);
                d = Step(ref nodes, ref x0, d);
            }
            sum += Unsafe.Add(ref values, a);
            sum += Unsafe.Add(ref values, b);
            sum += Unsafe.Add(ref values, c);
            sum += Unsafe.Add(ref values, d);
        }
        for (; t < roots.Length; t++)
        {
            var a = roots[t];
            for (var level = 0; level < depths[t]; level++) a = Step(ref nodes, ref x0, a);
            sum += Unsafe.Add(ref values, a);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Step(ref PackedNode nodes, ref double x0, int i)
    {
        ref var n = ref Unsafe.Add(ref nodes, i);
        var info = n.Info;
        var x = Unsafe.Add(ref x0, info & FeatureMask);
        if ((info & CategoricalFlag) != 0) return n.Left + (CategoryGoesLeft(info, (int)n.Value, x) ? 0 : 1);
        // NaN compares false: it goes right unless the node sends missing values left
        var le = x <= n.Value;
        var missingLeft = double.IsNaN(x) & (info & DefaultLeftFlag) != 0;
        return n.Left + 1 - (Unsafe.BitCast<bool, byte>(le) | Unsafe.BitCast<bool, byte>(missingLeft));
    }

    private bool CategoryGoesLeft(int info, int bitOffset, double x)
    {
        if (double.IsNaN(x)) return (info & DefaultLeftFlag) != 0;
        if (!(x >= 0)) return false;
        var feature = info & FeatureMask;
        var c = (long)x;
        if (c >= (long)_categoryWords[feature] * 64 || c != x) return false;
        return (_categoryBits[bitOffset + (int)(c >> 6)] & (1UL << (int)(c & 63))) != 0;
    }

    public abstract double PredictProbability(ReadOnlySpan<double> row);

    public double PredictCalibrated(ReadOnlySpan<double> row)
    {
        var p = PredictProbability(row);
        return Calibrator is null ? p : Calibrator.Calibrate(p);
    }

    public double[] PredictRaw(Dataset data) => Batch(data, static (m, r) => m.PredictRaw(r));

    public double[] PredictProbability(Dataset data) => Batch(data, static (m, r) => m.PredictProbability(r));

    public double[] PredictCalibrated(Dataset data) => Batch(data, static (m, r) => m.PredictCalibrated(r));

    private delegate double RowScorer(TreeEnsembleModel model, ReadOnlySpan<double> row);

    private double[] Batch(Dataset data, RowScorer score)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateSchema(data.Schema);
        var result = new double[data.RowCount];
        var row = new double[data.FeatureCount];
        for (var r = 0; r < result.Length; r++)
        {
            data.CopyRow(r, row);
            result[r] = score(this, row);
        }
        return result;
    }

    public void Shap(ReadOnlySpan<double> row, Span<double> contributions)
    {
        if (row.Length < Schema.Count)
            throw new ArgumentException($"Row has {row.Length} values; the model needs {Schema.Count}.", nameof(row));
        if (contributions.Length < Schema.Count)
            throw new ArgumentException($"Contributions must hold {Schema.Count} values.", nameof(contributions));
        contributions[..Schema.Count].Clear();
        _explainer.Value.Explain(row, contributions);
        if (TreeScale != 1.0)
        {
            for (var f = 0; f < Schema.Count; f++) contributions[f] *= TreeScale;
        }
    }

    /// <summary>SHAP values for every row: result[row][feature].</summary>
    public double[][] Shap(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateSchema(data.Schema);
        var result = new double[data.RowCount][];
        var row = new double[data.FeatureCount];
        for (var r = 0; r < result.Length; r++)
        {
            data.CopyRow(r, row);
            result[r] = new double[Schema.Count];
            Shap(row, result[r]);
        }
        return result;
    }

    /// <summary>Mean absolute SHAP value per feature over <paramref name="data"/>.</summary>
    public double[] GlobalImportance(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ValidateSchema(data.Schema);
        var importance = new double[Schema.Count];
        var row = new double[data.FeatureCount];
        var phi = new double[Schema.Count];
        for (var r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            Shap(row, phi);
            for (var f = 0; f < phi.Length; f++) importance[f] += Math.Abs(phi[f]);
        }
        if (data.RowCount > 0)
        {
            for (var f = 0; f < importance.Length; f++) importance[f] /= data.RowCount;
        }
        return importance;
    }

    /// <summary>Throws <see cref="ModelFileException"/> when <paramref name="schema"/> is not the one the model was trained on.</summary>
    public void ValidateSchema(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (ReferenceEquals(schema, Schema)) return;
        var difference = Schema.Difference(schema);
        if (difference is not null) throw new ModelFileException($"Input features do not match the model: {difference}.");
    }
}

/// <summary>Gradient-boosted trees for binary outcomes (logistic loss).</summary>
public sealed class GradientBoostedModel : TreeEnsembleModel
{
    internal GradientBoostedModel(FeatureSchema schema, IReadOnlyList<DecisionTree> trees, double baseScore, double[]?[]? binEdges)
        : base(schema, trees, baseScore, 1.0, binEdges)
    {
        BaseScore = baseScore;
    }

    public override ModelKind Kind => ModelKind.GradientBoosting;

    /// <summary>Initial log-odds (the training prior).</summary>
    public double BaseScore { get; }

    public override double PredictProbability(ReadOnlySpan<double> row) => Sigmoid(PredictRaw(row));

    internal static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}

/// <summary>Random forest of classification trees; the raw output is the mean leaf probability.</summary>
public sealed class RandomForestModel : TreeEnsembleModel
{
    internal RandomForestModel(FeatureSchema schema, IReadOnlyList<DecisionTree> trees, double[]?[]? binEdges)
        : base(schema, trees, 0.0, trees.Count > 0 ? 1.0 / trees.Count : 1.0, binEdges)
    {
    }

    public override ModelKind Kind => ModelKind.RandomForest;

    public override double PredictProbability(ReadOnlySpan<double> row) => Math.Clamp(PredictRaw(row), 0.0, 1.0);
}
