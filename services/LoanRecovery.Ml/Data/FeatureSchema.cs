using System.Collections;
using System.Globalization;

namespace LoanRecovery.Ml;

/// <summary>Kind of an input feature.</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
}

/// <summary>One input feature. For categorical features <paramref name="Categories"/> lists the category names;
/// a category is encoded as its index in that list.</summary>
public sealed record FeatureSpec(string Name, FeatureKind Kind, IReadOnlyList<string>? Categories = null)
{
    public int CategoryCount => Categories?.Count ?? 0;

    public int CategoryIndex(string category)
    {
        if (Categories is null) return -1;
        for (var i = 0; i < Categories.Count; i++)
        {
            if (string.Equals(Categories[i], category, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}

/// <summary>Ordered list of features a dataset or a model uses.</summary>
public sealed class FeatureSchema : IReadOnlyList<FeatureSpec>
{
    private readonly FeatureSpec[] _features;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>?[] _categoryIndex;

    public FeatureSchema(IEnumerable<FeatureSpec> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        _features = features.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _categoryIndex = new Dictionary<string, int>?[_features.Length];
        for (var i = 0; i < _features.Length; i++)
        {
            var f = _features[i] ?? throw new ArgumentException($"Feature {i} is null.", nameof(features));
            if (string.IsNullOrWhiteSpace(f.Name)) throw new ArgumentException($"Feature {i} has no name.", nameof(features));
            if (!_index.TryAdd(f.Name, i)) throw new ArgumentException($"Duplicate feature name '{f.Name}'.", nameof(features));
            if (f.Kind == FeatureKind.Categorical)
            {
                var map = new Dictionary<string, int>(StringComparer.Ordinal);
                var cats = f.Categories ?? [];
                for (var c = 0; c < cats.Count; c++)
                {
                    if (!map.TryAdd(cats[c], c))
                        throw new ArgumentException($"Feature '{f.Name}' lists category '{cats[c]}' twice.", nameof(features));
                }
                _categoryIndex[i] = map;
            }
        }
        Names = _features.Select(f => f.Name).ToArray();
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => _features.Length;

    public FeatureSpec this[int index] => _features[index];

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Category index of <paramref name="category"/> for categorical feature <paramref name="feature"/>, -1 if unknown.</summary>
    public int CategoryIndex(int feature, string category)
    {
        var map = _categoryIndex[feature];
        return map is not null && map.TryGetValue(category, out var c) ? c : -1;
    }

    /// <summary>Encodes text cells (schema order) into a numeric row: numbers parsed with the invariant culture,
    /// categories as their index, empty cells and unknown categories as NaN (missing).</summary>
    public void EncodeRow(IReadOnlyList<string?> cells, Span<double> row, int rowNumber = -1)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != _features.Length)
            throw new ArgumentException($"Expected {_features.Length} cells, got {cells.Count}{(rowNumber > 0 ? $" (row {rowNumber})" : "")}.", nameof(cells));
        if (row.Length < _features.Length)
            throw new ArgumentException($"Row buffer must hold {_features.Length} values.", nameof(row));
        for (var i = 0; i < _features.Length; i++)
        {
            row[i] = EncodeCell(i, cells[i], rowNumber);
        }
    }

    /// <summary>Encodes one cell of feature <paramref name="feature"/>.</summary>
    public double EncodeCell(int feature, string? cell, int rowNumber = -1)
    {
        var text = cell?.Trim();
        if (string.IsNullOrEmpty(text)) return double.NaN;
        var spec = _features[feature];
        if (spec.Kind == FeatureKind.Categorical)
        {
            var c = CategoryIndex(feature, text);
            return c < 0 ? double.NaN : c;
        }
        if (TryParseNumber(text, out var v)) return v;
        throw new DatasetFormatException(spec.Name, rowNumber, text);
    }

    internal static bool TryParseNumber(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value))
        {
            return true;
        }
        value = double.NaN;
        return false;
    }

    /// <summary>True when names, kinds and categories are identical and in the same order.</summary>
    public bool SameAs(FeatureSchema other) => Difference(other) is null;

    /// <summary>Describes the first difference from <paramref name="other"/>, or null when the schemas match.</summary>
    public string? Difference(FeatureSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count != Count)
            return $"expected {Count} features ({string.Join(", ", Names)}), got {other.Count} ({string.Join(", ", other.Names)})";
        for (var i = 0; i < Count; i++)
        {
            var a = _features[i];
            var b = other[i];
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal))
                return $"feature {i} should be '{a.Name}' but is '{b.Name}'";
            if (a.Kind != b.Kind)
                return $"feature '{a.Name}' should be {a.Kind} but is {b.Kind}";
            if (a.Kind == FeatureKind.Categorical)
            {
                var ca = a.Categories ?? [];
                var cb = b.Categories ?? [];
                if (ca.Count != cb.Count || !ca.SequenceEqual(cb, StringComparer.Ordinal))
                    return $"feature '{a.Name}' categories differ: expected [{string.Join(", ", ca)}], got [{string.Join(", ", cb)}]";
            }
        }
        return null;
    }

    public IEnumerator<FeatureSpec> GetEnumerator() => ((IEnumerable<FeatureSpec>)_features).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A cell could not be read as the kind its column requires.</summary>
public sealed class DatasetFormatException : FormatException
{
    public DatasetFormatException(string column, int row, string value)
        : base(row > 0
            ? $"column '{column}', row {row}: '{value}' is not a number"
            : $"column '{column}': '{value}' is not a number")
    {
        Column = column;
        Row = row;
        Value = value;
    }

    public DatasetFormatException(string column, int row, string value, string message) : base(message)
    {
        Column = column;
        Row = row;
        Value = value;
    }

    public string Column { get; }
    public int Row { get; }
    public string Value { get; }
}
