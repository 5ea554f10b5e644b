using System.Runtime.CompilerServices;

namespace LoanRecovery.Ml.Trees;

/// <summary>Settings shared by boosting and forests for growing one tree.</summary>
internal sealed class GrowerSettings
{
    public int MaxDepth { get; init; } = 6;
    public int MaxLeaves { get; init; } = int.MaxValue;
    public double L2 { get; init; }
    public double MinChildWeight { get; init; } = 1;
    public double MinSplitGain { get; init; }

    /// <summary>Boosting: leaf = LearningRate * clamp(-G / (H + L2)). Forest: leaf = G / H.</summary>
    public bool ForestLeaves { get; init; }

    public double LearningRate { get; init; } = 1;
    public sbyte[]? Monotone { get; init; }
    public CategoricalMode CategoricalMode { get; init; } = CategoricalMode.Native;
    public double CategoricalSmoothing { get; init; } = 1;

    /// <summary>Features drawn at random for each node (0 = all active features).</summary>
    public int FeaturesPerNode { get; init; }

    public int Threads { get; init; } = 1;
}

[InlineArray(4)]
internal struct BinMask
{
    private ulong _element;

    public readonly bool Get(int bin) => (this[bin >> 6] & (1UL << (bin & 63))) != 0;

    public void Set(int bin) => this[bin >> 6] |= 1UL << (bin & 63);
}

internal struct SplitCandidate
{
    public int Feature;
    public int ThresholdBin;     // numeric: bins 1..ThresholdBin go left
    public bool Categorical;
    public BinMask LeftBins;     // categorical: bins going left
    public bool DefaultLeft;
    public double Gain;
    public double GL, HL, GR, HR;
    public double WL, WR;        // constrained leaf weights of the children (boosting)

    public readonly bool IsValid => Feature >= 0;
}

/// <summary>Grows one tree on a pre-binned row-major byte matrix using gradient histograms.
/// For forests the "gradient" is the weighted label and the "hessian" the weight, which turns the
/// split score G²/H into the Gini impurity decrease for 0/1 labels.</summary>
internal sealed unsafe class TreeGrower
{
    private sealed class Node
    {
        public int Id;
        public int Start;
        public int Count;
        public int Depth;
        public double G;
        public double H;
        public double Lo = double.NegativeInfinity;
        public double Hi = double.PositiveInfinity;
        public double[]? Hist;
        public SplitCandidate Best = new() { Feature = -1 };
    }

    private readonly BinLayout _layout;
    private readonly byte[] _bins;
    private readonly int _features;
    private readonly GrowerSettings _settings;
    private readonly int[] _rows;
    private readonly int[] _scratch;
    private readonly Stack<double[]> _pool = new();
    private readonly double[] _catKeys = new double[256];
    private readonly int[] _catBins = new int[256];
    private readonly int[] _featureScratch;
    private readonly bool[] _lut = new bool[256];

    // tree under construction
    private readonly List<int> _feature = [];
    private readonly List<double> _threshold = [];
    private readonly List<int> _left = [];
    private readonly List<int> _right = [];
    private readonly List<bool> _defaultLeft = [];
    private readonly List<double> _value = [];
    private readonly List<double> _cover = [];
    private readonly List<int[]?> _cats = [];
    private readonly List<bool[]?> _nodeLut = [];

    public TreeGrower(BinLayout layout, byte[] bins, int rowCount, GrowerSettings settings)
    {
        _layout = layout;
        _bins = bins;
        _features = layout.FeatureCount;
        _settings = settings;
        _rows = new int[rowCount];
        _scratch = new int[rowCount];
        _featureScratch = new int[_features];
    }

    /// <summary>Row indices after growing: each leaf owns a contiguous range.</summary>
    public int[] Rows => _rows;

    /// <summary>(node, start, count) of each leaf of the last tree.</summary>
    public List<(int Node, int Start, int Count)> Leaves { get; } = [];

    /// <summary>Grows a tree on rows[0..rowCount) (caller fills <see cref="Rows"/>).</summary>
    public DecisionTree Grow(double[] grad, double[] hess, int rowCount, int[] activeFeatures, Random rng)
    {
        _feature.Clear(); _threshold.Clear(); _left.Clear(); _right.Clear(); _defaultLeft.Clear();
        _value.Clear(); _cover.Clear(); _cats.Clear(); _nodeLut.Clear();
        Leaves.Clear();

        double g = 0, h = 0;
        for (var i = 0; i < rowCount; i++)
        {
            var r = _rows[i];
            g += grad[r];
            h += hess[r];
        }
        var root = new Node { Id = AddNode(), Start = 0, Count = rowCount, Depth = 0, G = g, H = h };
        var pending = new List<Node>();
        var leafCount = 1;
        if (CanSplit(root))
        {
            root.Hist = Rent();
            BuildHistogram(root.Hist, 0, rowCount, grad, hess, activeFeatures);
            FindBestSplit(root, activeFeatures, rng);
        }
        pending.Add(root);

        var lossGuide = _settings.MaxLeaves != int.MaxValue;
        while (pending.Count > 0)
        {
            int pick;
            if (lossGuide)
            {
                pick = 0;
                for (var i = 1; i < pending.Count; i++)
                {
                    if (pending[i].Best.Gain > pending[pick].Best.Gain) pick = i;
                }
            }
            else
            {
                pick = pending.Count - 1;
            }
            var node = pending[pick];
            pending.RemoveAt(pick);
            if (!node.Best.IsValid || leafCount >= _settings.MaxLeaves)
            {
                MakeLeaf(node);
                continue;
            }
            leafCount++;
            var (left, right) = Split(node, grad, hess, activeFeatures);
            // depth-first: push right then left so the left subtree is grown first
            if (CanSplit(left)) FindBestSplit(left, activeFeatures, rng);
            if (CanSplit(right)) FindBestSplit(right, activeFeatures, rng);
            pending.Add(right);
            pending.Add(left);
        }
        return Finish();
    }

    private bool CanSplit(Node node) =>
        node.Depth < _settings.MaxDepth && node.Count >= 2 && node.H >= 2 * _settings.MinChildWeight;

    private int AddNode()
    {
        _feature.Add(-1);
        _threshold.Add(0);
        _left.Add(-1);
        _right.Add(-1);
        _defaultLeft.Add(false);
        _value.Add(0);
        _cover.Add(0);
        _cats.Add(null);
        _nodeLut.Add(null);
        return _feature.Count - 1;
    }

    private double[] Rent() => _pool.Count > 0 ? _pool.Pop() : new double[_layout.TotalBins * 2];

    private void Return(double[]? hist)
    {
        if (hist is not null) _pool.Push(hist);
    }

    private double LeafWeight(double g, double h, double lo, double hi)
    {
        if (_settings.ForestLeaves) return h > 0 ? g / h : 0;
        var w = -g / (h + _settings.L2);
        return Math.Clamp(w, lo, hi);
    }

    private void MakeLeaf(Node node)
    {
        Return(node.Hist);
        node.Hist = null;
        var w = LeafWeight(node.G, node.H, node.Lo, node.Hi);
        _value[node.Id] = _settings.ForestLeaves ? w : w * _settings.LearningRate;
        _cover[node.Id] = node.H;
        Leaves.Add((node.Id, node.Start, node.Count));
    }

    private (Node Left, Node Right) Split(Node node, double[] grad, double[] hess, int[] activeFeatures)
    {
        ref var s = ref node.Best;
        var f = s.Feature;
        var lut = new bool[256];
        lut[0] = s.DefaultLeft;
        var nb = _layout.BinCount[f];
        for (var b = 1; b <= nb; b++) lut[b] = s.Categorical ? s.LeftBins.Get(b) : b <= s.ThresholdBin;

        // stable in-place partition
        var F = _features;
        var leftCount = 0;
        var rightCount = 0;
        fixed (byte* bins = _bins)
        fixed (int* rows = _rows)
        fixed (int* scratch = _scratch)
        fixed (bool* l = lut)
        {
            var write = node.Start;
            var end = node.Start + node.Count;
            for (var i = node.Start; i < end; i++)
            {
                var r = rows[i];
                if (l[bins[(long)r * F + f]]) rows[write++] = r;
                else scratch[rightCount++] = r;
            }
            leftCount = write - node.Start;
            new ReadOnlySpan<int>(scratch, rightCount).CopyTo(new Span<int>(rows + write, rightCount));
        }

        var id = node.Id;
        var leftId = AddNode();
        var rightId = AddNode();
        _feature[id] = f;
        _left[id] = leftId;
        _right[id] = rightId;
        _defaultLeft[id] = s.DefaultLeft;
        _cover[id] = node.H;
        _nodeLut[id] = lut;
        if (s.Categorical)
        {
            var cats = new List<int>();
            var binToCats = _layout.BinToCategories[f];
            for (var b = 1; b <= nb; b++)
            {
                if (lut[b]) cats.AddRange(binToCats[b]);
            }
            cats.Sort();
            _cats[id] = cats.ToArray();
            _threshold[id] = double.NaN;
        }
        else
        {
            // a threshold past the last edge separates missing values from all present ones
            _threshold[id] = s.ThresholdBin < nb ? _layout.Edges[f][s.ThresholdBin - 1] : double.MaxValue;
        }

        var left = new Node { Id = leftId, Start = node.Start, Count = leftCount, Depth = node.Depth + 1, G = s.GL, H = s.HL, Lo = node.Lo, Hi = node.Hi };
        var right = new Node { Id = rightId, Start = node.Start + leftCount, Count = rightCount, Depth = node.Depth + 1, G = s.GR, H = s.HR, Lo = node.Lo, Hi = node.Hi };
        var c = _settings.Monotone is null || s.Categorical ? 0 : _settings.Monotone[f];
        if (c != 0)
        {
            var mid = (s.WL + s.WR) / 2;
            if (c > 0)
            {
                left.Hi = Math.Min(left.Hi, mid);
                right.Lo = Math.Max(right.Lo, mid);
            }
            else
            {
                left.Lo = Math.Max(left.Lo, mid);
                right.Hi = Math.Min(right.Hi, mid);
            }
        }

        var leftNeeds = CanSplit(left);
        var rightNeeds = CanSplit(right);
        var parentHist = node.Hist!;
        node.Hist = null;
        if (!leftNeeds && !rightNeeds)
        {
            Return(parentHist);
        }
        else
        {
            var smallIsLeft = leftCount <= rightCount;
            var small = smallIsLeft ? left : right;
            var large = smallIsLeft ? right : left;
            var smallHist = Rent();
            BuildHistogram(smallHist, small.Start, small.Count, grad, hess, activeFeatures);
            if ((smallIsLeft ? rightNeeds : leftNeeds))
            {
                Subtract(parentHist, smallHist, activeFeatures);
                large.Hist = parentHist;
            }
            else
            {
                Return(parentHist);
            }
            if (smallIsLeft ? leftNeeds : rightNeeds) small.Hist = smallHist;
            else Return(smallHist);
        }
        return (left, right);
    }

    private void Subtract(double[] parent, double[] child, int[] activeFeatures)
    {
        if (activeFeatures.Length == _features)
        {
            SubtractRange(parent.AsSpan(), child.AsSpan());
            return;
        }
        foreach (var f in activeFeatures)
        {
            var start = _layout.Offset[f] * 2;
            var len = (_layout.BinCount[f] + 1) * 2;
            SubtractRange(parent.AsSpan(start, len), child.AsSpan(start, len));
        }
    }

    private static void SubtractRange(Span<double> parent, ReadOnlySpan<double> child)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<double>.Count;
            var pv = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(parent);
            var cv = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(child);
            for (var k = 0; k < pv.Length; k++) pv[k] -= cv[k];
            i = pv.Length * width;
        }
        for (; i < parent.Length; i++) parent[i] -= child[i];
    }

    private void BuildHistogram(double[] hist, int start, int count, double[] grad, double[] hess, int[] activeFeatures)
    {
        var threads = _settings.Threads;
        if (threads <= 1 || count < 4096 || activeFeatures.Length < 2)
        {
            BuildHistogramRange(hist, start, count, grad, hess, activeFeatures, 0, activeFeatures.Length);
            return;
        }
        var chunks = Math.Min(threads, activeFeatures.Length);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var from = activeFeatures.Length * c / chunks;
            var to = activeFeatures.Length * (c + 1) / chunks;
            BuildHistogramRange(hist, start, count, grad, hess, activeFeatures, from, to);
        });
    }

    private void BuildHistogramRange(double[] hist, int start, int count, double[] grad, double[] hess,
        int[] activeFeatures, int featureFrom, int featureTo)
    {
        var F = _features;
        var offsets = _layout.Offset;
        for (var k = featureFrom; k < featureTo; k++)
        {
            var f = activeFeatures[k];
            Array.Clear(hist, offsets[f] * 2, (_layout.BinCount[f] + 1) * 2);
        }
        var nf = featureTo - featureFrom;
        fixed (byte* bins = _bins)
        fixed (int* rows = _rows)
        fixed (double* hs = hist)
        fixed (double* gp = grad)
        fixed (double* hp = hess)
        fixed (int* off = offsets)
        fixed (int* act = activeFeatures)
        {
            var all = nf == F;
            var end = start + count;
            if (all)
            {
                var hv = (System.Runtime.Intrinsics.Vector128<double>*)hs;
                for (var i = start; i < end; i++)
                {
                    var r = rows[i];
                    var gh = System.Runtime.Intrinsics.Vector128.Create(gp[r], hp[r]);
                    var b = bins + (long)r * F;
                    for (var f = 0; f < F; f++)
                    {
                        var p = hv + (off[f] + b[f]);
                        *p += gh;
                    }
                }
            }
            else
            {
                var a = act + featureFrom;
                var hv = (System.Runtime.Intrinsics.Vector128<double>*)hs;
                for (var i = start; i < end; i++)
                {
                    var r = rows[i];
                    var gh = System.Runtime.Intrinsics.Vector128.Create(gp[r], hp[r]);
                    var b = bins + (long)r * F;
                    for (var k = 0; k < nf; k++)
                    {
                        var f = a[k];
                        var p = hv + (off[f] + b[f]);
                        *p += gh;
                    }
                }
            }
        }
    }

    private void FindBestSplit(Node node, int[] activeFeatures, Random rng)
    {
        node.Best = default;
        node.Best.Feature = -1;
        node.Best.Gain = 0;
        var hist = node.Hist!;
        ReadOnlySpan<int> candidates = activeFeatures;
        var k = _settings.FeaturesPerNode;
        if (k > 0 && k < activeFeatures.Length)
        {
            var buf = _featureScratch;
            activeFeatures.CopyTo(buf, 0);
            var n = activeFeatures.Length;
            for (var i = 0; i < k; i++)
            {
                var j = i + rng.Next(n - i);
                (buf[i], buf[j]) = (buf[j], buf[i]);
            }
            Array.Sort(buf, 0, k);
            candidates = buf.AsSpan(0, k);
        }
        var constrainedNode = !double.IsNegativeInfinity(node.Lo) || !double.IsPositiveInfinity(node.Hi);
        var parentScore = Score(node.G, node.H, node.Lo, node.Hi, constrainedNode);
        foreach (var f in candidates)
        {
            if (_layout.Categorical[f]) FindCategorical(node, hist, f, parentScore, constrainedNode);
            else FindNumeric(node, hist, f, parentScore, constrainedNode);
        }
        if (node.Best.IsValid && 0.5 * node.Best.Gain <= _settings.MinSplitGain && _settings.MinSplitGain > 0)
        {
            node.Best.Feature = -1;
        }
    }

    private double Score(double g, double h, double lo, double hi, bool constrained)
    {
        if (!constrained || _settings.ForestLeaves) return g * g / (h + _settings.L2);
        var w = Math.Clamp(-g / (h + _settings.L2), lo, hi);
        return -(2 * g * w + (h + _settings.L2) * w * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Evaluate(Node node, double gl, double hl, double parentScore, bool constrained, int monotone,
        out double gain, out double wl, out double wr)
    {
        var gr = node.G - gl;
        var hr = node.H - hl;
        var min = _settings.MinChildWeight;
        wl = wr = 0;
        gain = 0;
        if (hl < min || hr < min || hl <= 0 || hr <= 0) return false;
        var l2 = _settings.L2;
        if (!constrained && monotone == 0)
        {
            gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parentScore;
            return true;
        }
        wl = Math.Clamp(-gl / (hl + l2), node.Lo, node.Hi);
        wr = Math.Clamp(-gr / (hr + l2), node.Lo, node.Hi);
        if ((monotone > 0 && wl > wr) || (monotone < 0 && wl < wr)) return false;
        gain = -(2 * gl * wl + (hl + l2) * wl * wl) - (2 * gr * wr + (hr + l2) * wr * wr) - parentScore;
        return true;
    }

    private void FindNumeric(Node node, double[] hist, int f, double parentScore, bool constrained)
    {
        var nb = _layout.BinCount[f];
        if (nb < 2) return;
        var off = _layout.Offset[f] * 2;
        var mg = hist[off];
        var mh = hist[off + 1];
        var monotone = _settings.Monotone is null ? 0 : _settings.Monotone[f];
        double gl = 0, hl = 0;
        ref var best = ref node.Best;
        for (var t = 1; t < nb; t++)
        {
            var bh = hist[off + 2 * t + 1];
            gl += hist[off + 2 * t];
            hl += bh;
            if (bh == 0) continue;
            if (Evaluate(node, gl, hl, parentScore, constrained, monotone, out var gain, out var wl, out var wr)
                && gain > best.Gain + 1e-12)
            {
                SetNumeric(ref best, f, t, defaultLeft: mh == 0 && hl >= node.H - hl, gain, gl, hl, node, wl, wr);
            }
            if (mh > 0 && Evaluate(node, gl + mg, hl + mh, parentScore, constrained, monotone, out gain, out wl, out wr)
                && gain > best.Gain + 1e-12)
            {
                SetNumeric(ref best, f, t, defaultLeft: true, gain, gl + mg, hl + mh, node, wl, wr);
            }
        }
        // missing values against all present values
        if (mh > 0 && monotone == 0 && Evaluate(node, node.G - mg, node.H - mh, parentScore, constrained, 0, out var g2, out var wl2, out var wr2)
            && g2 > best.Gain + 1e-12)
        {
            SetNumeric(ref best, f, nb, defaultLeft: false, g2, node.G - mg, node.H - mh, node, wl2, wr2);
        }
    }

    private static void SetNumeric(ref SplitCandidate best, int f, int t, bool defaultLeft, double gain,
        double gl, double hl, Node node, double wl, double wr)
    {
        best.Feature = f;
        best.ThresholdBin = t;
        best.Categorical = false;
        best.DefaultLeft = defaultLeft;
        best.Gain = gain;
        best.GL = gl;
        best.HL = hl;
        best.GR = node.G - gl;
        best.HR = node.H - hl;
        best.WL = wl;
        best.WR = wr;
    }

    private void FindCategorical(Node node, double[] hist, int f, double parentScore, bool constrained)
    {
        var nb = _layout.BinCount[f];
        var off = _layout.Offset[f] * 2;
        var mg = hist[off];
        var mh = hist[off + 1];
        var m = 0;
        for (var b = 1; b <= nb; b++)
        {
            var h = hist[off + 2 * b + 1];
            if (h <= 0) continue;
            _catBins[m] = b;
            _catKeys[m] = hist[off + 2 * b] / (h + _settings.CategoricalSmoothing);
            m++;
        }
        if (m == 0 || (m == 1 && mh <= 0)) return;
        ref var best = ref node.Best;
        var bestK = -1;
        var bestGain = best.Gain;
        bool bestDefaultLeft = false;
        double bestGl = 0, bestHl = 0, bestWl = 0, bestWr = 0;
        var oneHot = _settings.CategoricalMode == CategoricalMode.OneHot;
        if (!oneHot) Array.Sort(_catKeys, _catBins, 0, m);
        double gl = 0, hl = 0;
        for (var k = 1; k <= m; k++)
        {
            var b = _catBins[k - 1];
            if (oneHot)
            {
                gl = hist[off + 2 * b];
                hl = hist[off + 2 * b + 1];
            }
            else
            {
                gl += hist[off + 2 * b];
                hl += hist[off + 2 * b + 1];
            }
            var all = !oneHot && k == m;
            if ((!all || mh > 0) && Evaluate(node, gl, hl, parentScore, constrained, 0, out var gain, out var wl, out var wr)
                && gain > bestGain + 1e-12)
            {
                bestGain = gain; bestK = k; bestDefaultLeft = false; bestGl = gl; bestHl = hl; bestWl = wl; bestWr = wr;
            }
            if (!all && mh > 0 && Evaluate(node, gl + mg, hl + mh, parentScore, constrained, 0, out gain, out wl, out wr)
                && gain > bestGain + 1e-12)
            {
                bestGain = gain; bestK = k; bestDefaultLeft = true; bestGl = gl + mg; bestHl = hl + mh; bestWl = wl; bestWr = wr;
            }
        }
        if (bestK < 0) return;
        best.Feature = f;
        best.Categorical = true;
        best.ThresholdBin = 0;
        best.LeftBins = default;
        if (oneHot) best.LeftBins.Set(_catBins[bestK - 1]);
        else
        {
            for (var i = 0; i < bestK; i++) best.LeftBins.Set(_catBins[i]);
        }
        best.DefaultLeft = bestDefaultLeft;
        best.Gain = bestGain;
        best.GL = bestGl;
        best.HL = bestHl;
        best.GR = node.G - bestGl;
        best.HR = node.H - bestHl;
        best.WL = bestWl;
        best.WR = bestWr;
    }

    private DecisionTree Finish()
    {
        var n = _feature.Count;
        var value = _value.ToArray();
        var cover = _cover.ToArray();
        var feature = _feature.ToArray();
        var left = _left.ToArray();
        var right = _right.ToArray();
        // internal node value: cover-weighted mean of its children (children come after parents)
        for (var i = n - 1; i >= 0; i--)
        {
            if (feature[i] < 0) continue;
            var c = cover[left[i]] + cover[right[i]];
            cover[i] = c;
            value[i] = c > 0 ? (cover[left[i]] * value[left[i]] + cover[right[i]] * value[right[i]]) / c : 0;
        }
        return new DecisionTree(feature, _threshold.ToArray(), left, right, _defaultLeft.ToArray(), value, cover, _cats.ToArray());
    }

    /// <summary>Leaf node id of the last grown tree for a training row, through the binned splits.</summary>
    public int LeafOfBinnedRow(int row)
    {
        var node = 0;
        var F = _features;
        while (_feature[node] >= 0)
        {
            var b = _bins[(long)row * F + _feature[node]];
            node = _nodeLut[node]![b] ? _left[node] : _right[node];
        }
        return node;
    }
}
