namespace LoanRecovery.Ml.Trees;

/// <summary>A binary tree as parallel arrays. Node 0 is the root; children always have larger indices
/// than their parent. Leaves have <c>Feature == -1</c>. A numeric split sends <c>x &lt;= Threshold</c> left;
/// a categorical split sends the categories in <c>CategoriesLeft</c> left and every other category right;
/// a missing value follows <c>DefaultLeft</c>.</summary>
internal sealed class DecisionTree
{
    public DecisionTree(int[] feature, double[] threshold, int[] left, int[] right, bool[] defaultLeft,
        double[] value, double[] cover, int[]?[] categoriesLeft)
    {
        Feature = feature;
        Threshold = threshold;
        Left = left;
        Right = right;
        DefaultLeft = defaultLeft;
        Value = value;
        Cover = cover;
        CategoriesLeft = categoriesLeft;
    }

    public int[] Feature { get; }
    public double[] Threshold { get; }
    public int[] Left { get; }
    public int[] Right { get; }
    public bool[] DefaultLeft { get; }

    /// <summary>Leaf output (raw space); for internal nodes the cover-weighted mean of the leaves below.</summary>
    public double[] Value { get; }

    /// <summary>Training weight (hessian sum for boosting, sample count for forests) reaching the node.</summary>
    public double[] Cover { get; }

    public int[]?[] CategoriesLeft { get; }

    public int NodeCount => Feature.Length;

    public bool IsLeaf(int node) => Feature[node] < 0;

    /// <summary>Whether a row goes to the left child of internal node <paramref name="node"/>.</summary>
    public bool GoesLeft(int node, ReadOnlySpan<double> row)
    {
        var x = row[Feature[node]];
        if (double.IsNaN(x)) return DefaultLeft[node];
        var cats = CategoriesLeft[node];
        if (cats is null) return x <= Threshold[node];
        return Array.BinarySearch(cats, (int)x) >= 0;
    }

    public double Predict(ReadOnlySpan<double> row)
    {
        var node = 0;
        while (Feature[node] >= 0) node = GoesLeft(node, row) ? Left[node] : Right[node];
        return Value[node];
    }

    public int Depth()
    {
        var depth = new int[NodeCount];
        var max = 0;
        for (var i = 0; i < NodeCount; i++)
        {
            if (Feature[i] < 0) continue;
            depth[Left[i]] = depth[i] + 1;
            depth[Right[i]] = depth[i] + 1;
            max = Math.Max(max, depth[i] + 1);
        }
        return max;
    }

    /// <summary>Expected output when no feature is known: leaves weighted by the products of the cover
    /// fractions along their paths (the baseline of path-dependent TreeSHAP).</summary>
    public double ExpectedValue()
    {
        var e = new double[NodeCount];
        for (var i = NodeCount - 1; i >= 0; i--)
        {
            if (Feature[i] < 0)
            {
                e[i] = Value[i];
                continue;
            }
            var (zl, zr) = CoverFractions(i);
            e[i] = zl * e[Left[i]] + zr * e[Right[i]];
        }
        return e[0];
    }

    /// <summary>Fractions of node <paramref name="node"/>'s cover that reach its left and right children.</summary>
    public (double Left, double Right) CoverFractions(int node)
    {
        var c = Cover[node];
        if (c > 0) return (Cover[Left[node]] / c, Cover[Right[node]] / c);
        return (0.5, 0.5);
    }

    /// <summary>Checks structure: one root, children after parents, each node reached once, features in range.
    /// Returns a description of the first problem or null.</summary>
    public string? Check(FeatureSchema schema)
    {
        var n = NodeCount;
        if (n == 0) return "tree has no nodes";
        if (Threshold.Length != n || Left.Length != n || Right.Length != n || DefaultLeft.Length != n
            || Value.Length != n || Cover.Length != n || CategoriesLeft.Length != n)
            return "node arrays have different lengths";
        var parents = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(Value[i])) return $"node {i} has a non-finite value";
            if (!(Cover[i] >= 0) || double.IsInfinity(Cover[i])) return $"node {i} has an invalid cover";
            if (Feature[i] < 0)
            {
                if (Feature[i] != -1) return $"node {i} has feature {Feature[i]}";
                continue;
            }
            if (Feature[i] >= schema.Count) return $"node {i} uses feature {Feature[i]} but there are {schema.Count}";
            if (Left[i] <= i || Right[i] <= i || Left[i] >= n || Right[i] >= n || Left[i] == Right[i])
                return $"node {i} has invalid children {Left[i]}, {Right[i]}";
            if (++parents[Left[i]] > 1 || ++parents[Right[i]] > 1) return $"a child of node {i} has two parents";
            var cats = CategoriesLeft[i];
            if (schema[Feature[i]].Kind == FeatureKind.Categorical)
            {
                if (cats is null) return $"node {i} splits categorical feature '{schema[Feature[i]].Name}' without categories";
                for (var k = 0; k < cats.Length; k++)
                {
                    if (cats[k] < 0 || cats[k] >= schema[Feature[i]].CategoryCount || (k > 0 && cats[k] <= cats[k - 1]))
                        return $"node {i} has invalid categories";
                }
            }
            else
            {
                if (cats is not null) return $"node {i} splits numeric feature '{schema[Feature[i]].Name}' by categories";
                if (double.IsNaN(Threshold[i])) return $"node {i} has no threshold";
            }
        }
        for (var i = 1; i < n; i++)
        {
            if (parents[i] != 1) return $"node {i} is not reachable from the root";
        }
        return null;
    }
}
