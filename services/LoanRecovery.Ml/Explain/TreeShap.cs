using System.Numerics;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Ml.Explain;

/// <summary>Exact path-dependent TreeSHAP (Lundberg et al.), computed leaf by leaf.
/// <para>For a leaf with value v whose path uses the distinct features U (d = |U|), let z_j be the product of the
/// cover fractions of the path's splits on feature j, and H ⊆ U the features whose splits the row follows on
/// this path. The leaf's part of the conditional expectation is v·Π_{j∈S} o_j·Π_{j∉S} z_j, a product game whose
/// Shapley values are, with G(A) = Σ_{S⊆A} |S|!(d-|S|-1)!/d! · Π_{j∈A∖S} z_j and Zc = Π_{j∈U∖H} z_j:
/// φ_i += v·Zc·(1 − z_i)·G(H∖{i}) for i ∈ H, and φ_i −= v·Zc·G(H) for i ∉ H.</para>
/// <para>G depends only on the leaf and H, so for short paths it is tabulated once per leaf for every subset
/// (2^d values) and explaining a row costs O(d) per leaf; long paths compute it per row in O(d²).</para></summary>
internal sealed unsafe class TreeShapExplainer
{
    internal const int DefaultTableDepth = 10;

    /// <summary>
    /// Most doubles all leaf tables may take together (256 MB). Deep forests have hundreds of thousands of leaves with
    /// long paths; past this budget the remaining leaves use the per-row O(d²) computation instead of a table, so
    /// explaining such a model is slower but never runs out of memory.
    /// </summary>
    internal const long DefaultTableBudget = 32L * 1024 * 1024;

    private readonly IReadOnlyList<DecisionTree> _trees;
    private readonly int _featureCount;
    private readonly int _maxNodes;
    private readonly int _maxUnique;

    // per tree: range of leaves
    private readonly int[] _treeLeafStart;

    // per leaf
    private readonly double[] _leafValue;
    private readonly int[] _pathStart;
    private readonly int[] _pathLength;
    private readonly int[] _uniqueStart;
    private readonly int[] _uniqueCount;
    private readonly long[] _tableStart;

    // per path step
    private readonly int[] _pathNode;
    private readonly bool[] _pathLeft;
    private readonly int[] _pathPosition;

    // per unique feature of a leaf
    private readonly int[] _uniqueFeature;
    private readonly double[] _uniqueZ;

    private readonly double[] _table;

    // per tree node (offset by _treeNodeStart): unique position of the node's split feature on its path
    private readonly int[] _treeNodeStart;
    private readonly int[] _nodePosition;
    private readonly int[] _leafNode;

    private struct ShapNode
    {
        public double Threshold;
        public ulong KeepOnLeave;   // mask that clears the node's path position
        public int Feature;         // -1 leaf
        public int Left;
        public int Right;
        public int Flags;           // bit 0 default left, bit 1 categorical
    }

    private readonly ShapNode[] _shapNodes;

    // coefficient |S|!(d-|S|-1)!/d! at [d][s]
    private readonly double[][] _weights;

    [ThreadStatic] private static Buffers? t_buffers;

    private sealed class Buffers(int maxNodes, int maxUnique)
    {
        public readonly bool[] GoesLeft = new bool[Math.Max(maxNodes, 1)];
        public readonly ulong[] Masks = new ulong[Math.Max(maxNodes, 1)];
        public readonly bool[] Hot = new bool[maxUnique + 1];
        public readonly double[] Poly = new double[maxUnique + 2];
        public readonly double[] Quotient = new double[maxUnique + 2];
    }

    public TreeShapExplainer(IReadOnlyList<DecisionTree> trees, int featureCount, int tableDepth = -1, long tableBudget = -1)
    {
        _trees = trees;
        _featureCount = featureCount;
        if (tableDepth < 0) tableDepth = DefaultTableDepth;
        if (tableBudget < 0) tableBudget = DefaultTableBudget;
        _treeLeafStart = new int[trees.Count + 1];
        _treeNodeStart = new int[trees.Count + 1];
        var nodePosition = new List<int>();
        var leafNode = new List<int>();

        var leafValue = new List<double>();
        var pathStart = new List<int>();
        var pathLength = new List<int>();
        var uniqueStart = new List<int>();
        var uniqueCount = new List<int>();
        var tableStart = new List<long>();
        var pathNode = new List<int>();
        var pathLeft = new List<bool>();
        var pathPosition = new List<int>();
        var uniqueFeature = new List<int>();
        var uniqueZ = new List<double>();
        var table = new List<double>();
        var maxUnique = 0;

        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _maxNodes = Math.Max(_maxNodes, tree.NodeCount);
            _treeLeafStart[t] = leafValue.Count;
            _treeNodeStart[t] = nodePosition.Count;
            var positionStart = nodePosition.Count;
            for (var i = 0; i < tree.NodeCount; i++) nodePosition.Add(-1);
            var parent = new int[tree.NodeCount];
            parent[0] = -1;
            for (var i = 0; i < tree.NodeCount; i++)
            {
                if (tree.Feature[i] < 0) continue;
                parent[tree.Left[i]] = i;
                parent[tree.Right[i]] = i;
            }
            var steps = new List<(int Node, bool Left)>();
            var features = new List<int>();
            var zs = new List<double>();
            for (var leaf = 0; leaf < tree.NodeCount; leaf++)
            {
                if (tree.Feature[leaf] >= 0) continue;
                steps.Clear();
                for (var child = leaf; parent[child] >= 0; child = parent[child])
                {
                    var p = parent[child];
                    steps.Add((p, tree.Left[p] == child));
                }
                steps.Reverse();
                features.Clear();
                zs.Clear();
                leafValue.Add(tree.Value[leaf]);
                leafNode.Add(leaf);
                pathStart.Add(pathNode.Count);
                pathLength.Add(steps.Count);
                foreach (var (node, left) in steps)
                {
                    var f = tree.Feature[node];
                    var pos = features.IndexOf(f);
                    if (pos < 0)
                    {
                        pos = features.Count;
                        features.Add(f);
                        zs.Add(1.0);
                    }
                    var (zl, zr) = tree.CoverFractions(node);
                    zs[pos] *= left ? zl : zr;
                    nodePosition[positionStart + node] = pos;
                    pathNode.Add(node);
                    pathLeft.Add(left);
                    pathPosition.Add(pos);
                }
                uniqueStart.Add(uniqueFeature.Count);
                uniqueCount.Add(features.Count);
                uniqueFeature.AddRange(features);
                uniqueZ.AddRange(zs);
                maxUnique = Math.Max(maxUnique, features.Count);
                if (features.Count <= tableDepth && table.Count + (1L << features.Count) <= tableBudget)
                {
                    tableStart.Add(table.Count);
                    AppendTable(table, zs, features.Count);
                }
                else
                {
                    tableStart.Add(-1);
                }
            }
        }
        _treeLeafStart[trees.Count] = leafValue.Count;
        _treeNodeStart[trees.Count] = nodePosition.Count;
        _nodePosition = nodePosition.ToArray();
        _leafNode = leafNode.ToArray();
        _shapNodes = new ShapNode[_nodePosition.Length];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var o = _treeNodeStart[t];
            for (var i = 0; i < tree.NodeCount; i++)
            {
                ref var sn = ref _shapNodes[o + i];
                sn.Feature = tree.Feature[i];
                if (sn.Feature < 0) continue;
                sn.Threshold = tree.Threshold[i];
                sn.Left = tree.Left[i];
                sn.Right = tree.Right[i];
                sn.Flags = (tree.DefaultLeft[i] ? 1 : 0) | (tree.CategoriesLeft[i] is null ? 0 : 2);
                var pos = _nodePosition[o + i];
                sn.KeepOnLeave = pos is >= 0 and < 64 ? ~(1UL << pos) : ulong.MaxValue;
            }
        }
        _maxUnique = maxUnique;
        _leafValue = leafValue.ToArray();
        _pathStart = pathStart.ToArray();
        _pathLength = pathLength.ToArray();
        _uniqueStart = uniqueStart.ToArray();
        _uniqueCount = uniqueCount.ToArray();
        _tableStart = tableStart.ToArray();
        _pathNode = pathNode.ToArray();
        _pathLeft = pathLeft.ToArray();
        _pathPosition = pathPosition.ToArray();
        _uniqueFeature = uniqueFeature.ToArray();
        _uniqueZ = uniqueZ.ToArray();
        _table = table.ToArray();
        _weights = ShapleyWeights(Math.Max(maxUnique, 1));
    }

    private static double[][] ShapleyWeights(int maxD)
    {
        var w = new double[maxD + 1][];
        for (var d = 0; d <= maxD; d++)
        {
            w[d] = new double[d + 1];
            if (d == 0) continue;
            // s!(d-s-1)!/d! = 1 / (d * C(d-1, s))
            var binom = 1.0;
            for (var s = 0; s < d; s++)
            {
                w[d][s] = 1.0 / (d * binom);
                binom = binom * (d - 1 - s) / (s + 1);
            }
        }
        return w;
    }

    private static void AppendTable(List<double> table, List<double> z, int d)
    {
        var size = 1 << d;
        var weights = ShapleyWeights(d)[d];
        // polynomial of every subset: coefficient s = sum over S⊆A with |S| = s of prod_{A∖S} z
        var poly = new double[size * (d + 1)];
        poly[0] = 1.0;
        for (var mask = 1; mask < size; mask++)
        {
            var j = BitOperations.TrailingZeroCount(mask);
            var prev = mask & (mask - 1);
            var zj = z[j];
            var src = prev * (d + 1);
            var dst = mask * (d + 1);
            for (var s = 0; s <= d; s++)
            {
                var v = zj * poly[src + s];
                if (s > 0) v += poly[src + s - 1];
                poly[dst + s] = v;
            }
        }
        for (var mask = 0; mask < size; mask++)
        {
            var g = 0.0;
            if (mask != size - 1 || d == 0)
            {
                for (var s = 0; s < d; s++) g += weights[s] * poly[mask * (d + 1) + s];
            }
            table.Add(g);
        }
    }

    /// <summary>Adds the unscaled SHAP values of all trees to <paramref name="phi"/>.</summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> phi)
    {
        var buffers = t_buffers;
        if (buffers is null || buffers.GoesLeft.Length < _maxNodes || buffers.Hot.Length < _maxUnique + 1)
        {
            buffers = t_buffers = new Buffers(_maxNodes, _maxUnique);
        }
        var goesLeft = buffers.GoesLeft;
        var masks = buffers.Masks;
        for (var t = 0; t < _trees.Count; t++)
        {
            var tree = _trees[t];
            var count = tree.NodeCount;
            // hot mask of every node: bit k cleared when the row leaves the path at a split on the k-th feature of the path
            fixed (ShapNode* nodes = &_shapNodes[_treeNodeStart[t]])
            fixed (ulong* m = masks)
            fixed (bool* gl = goesLeft)
            fixed (double* x0 = row)
            {
                m[0] = ulong.MaxValue;
                for (var i = 0; i < count; i++)
                {
                    var n = nodes + i;
                    if (n->Feature < 0) continue;
                    bool left;
                    if ((n->Flags & 2) == 0)
                    {
                        var x = x0[n->Feature];
                        left = x <= n->Threshold | (double.IsNaN(x) & (n->Flags & 1) != 0);
                    }
                    else
                    {
                        left = tree.GoesLeft(i, row);
                    }
                    gl[i] = left;
                    var mask = m[i];
                    var leave = mask & n->KeepOnLeave;
                    m[n->Left] = left ? mask : leave;
                    m[n->Right] = left ? leave : mask;
                }
            }
            for (var leaf = _treeLeafStart[t]; leaf < _treeLeafStart[t + 1]; leaf++)
            {
                var d = _uniqueCount[leaf];
                if (d == 0) continue;
                if (_tableStart[leaf] >= 0) ExplainLeafWithTable(leaf, d, (int)(masks[_leafNode[leaf]] & ((1UL << d) - 1)), phi);
                else ExplainLeafDirect(leaf, d, goesLeft, phi, buffers);
            }
        }
    }

    private void ExplainLeafWithTable(int leaf, int d, int mask, Span<double> phi)
    {
        var us = _uniqueStart[leaf];
        fixed (double* zp = &_uniqueZ[us])
        fixed (int* fp = &_uniqueFeature[us])
        fixed (double* table = &_table[_tableStart[leaf]])
        fixed (double* ph = phi)
        {
            var zc = _leafValue[leaf];
            for (var k = 0; k < d; k++)
            {
                // multiply by z_k for features the row does not follow
                var cold = ((mask >> k) & 1) ^ 1;
                zc *= 1 + cold * (zp[k] - 1);
            }
            var coldValue = -zc * table[mask];
            for (var k = 0; k < d; k++)
            {
                var hotValue = zc * (1 - zp[k]) * table[mask ^ (1 << k)];
                ph[fp[k]] += ((mask >> k) & 1) != 0 ? hotValue : coldValue;
            }
        }
    }

    private void ExplainLeafDirect(int leaf, int d, bool[] goesLeft, Span<double> phi, Buffers buffers)
    {
        var hot = buffers.Hot;
        Array.Fill(hot, true, 0, d);
        var ps = _pathStart[leaf];
        var pe = ps + _pathLength[leaf];
        for (var p = ps; p < pe; p++)
        {
            if (goesLeft[_pathNode[p]] != _pathLeft[p]) hot[_pathPosition[p]] = false;
        }
        var us = _uniqueStart[leaf];
        var zc = _leafValue[leaf];
        var poly = buffers.Poly;
        poly[0] = 1.0;
        var h = 0;
        for (var k = 0; k < d; k++)
        {
            var z = _uniqueZ[us + k];
            if (!hot[k])
            {
                zc *= z;
                continue;
            }
            // multiply the polynomial by (t + z)
            poly[h + 1] = poly[h];
            for (var s = h; s >= 1; s--) poly[s] = poly[s - 1] + z * poly[s];
            poly[0] = z * poly[0];
            h++;
        }
        if (zc == 0) return;
        var w = _weights[d];
        var q = buffers.Quotient;
        var cold = 0.0;
        if (h < d)
        {
            var g = 0.0;
            for (var s = 0; s <= h; s++) g += w[s] * poly[s];
            cold = zc * g;
        }
        for (var k = 0; k < d; k++)
        {
            var f = _uniqueFeature[us + k];
            if (!hot[k])
            {
                phi[f] -= cold;
                continue;
            }
            // divide out (t + z_k): poly(s) = q(s-1) + z q(s)
            var z = _uniqueZ[us + k];
            q[h - 1] = poly[h];
            for (var s = h - 1; s >= 1; s--) q[s - 1] = poly[s] - z * q[s];
            var g = 0.0;
            for (var s = 0; s < h; s++) g += w[s] * q[s];
            phi[f] += zc * (1 - z) * g;
        }
    }
}
