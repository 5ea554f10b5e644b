using System.Globalization;

namespace LoanRecovery.Ml;

/// <summary>Column-major feature matrix with 0/1 labels and optional row weights.
/// Missing values are NaN; categorical values are category indices.</summary>
public sealed class Dataset
{
    public Dataset(FeatureSchema schema, double[][] columns, double[] labels, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(labels);
        if (columns.Length != schema.Count)
            throw new ArgumentException($"Schema has {schema.Count} features but {columns.Length} columns were given.", nameof(columns));
        for (var f = 0; f < columns.Length; f++)
        {
            if (columns[f] is null || columns[f].Length != labels.Length)
                throw new ArgumentException($"Column '{schema[f].Name}' must have {labels.Length} values.", nameof(columns));
            if (schema[f].Kind == FeatureKind.Categorical)
            {
                var n = schema[f].CategoryCount;
                var col = columns[f];
                for (var r = 0; r < col.Length; r++)
                {
                    var v = col[r];
                    if (!double.IsNaN(v) && (v < 0 || v >= n || v != Math.Floor(v)))
                        throw new ArgumentException($"Column '{schema[f].Name}', row {r + 1}: {v} is not a category index (0..{n - 1}).", nameof(columns));
                }
            }
        }
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r] is not (0.0 or 1.0))
                throw new ArgumentException($"Label of row {r + 1} is {labels[r]}; labels must be 0 or 1.", nameof(labels));
        }
        if (weights is not null)
        {
            if (weights.Length != labels.Length) throw new ArgumentException("Weights must have one value per row.", nameof(weights));
            for (var r = 0; r < weights.Length; r++)
            {
                if (!(weights[r] >= 0) || double.IsInfinity(weights[r]))
                    throw new ArgumentException($"Weight of row {r + 1} must be a finite non-negative number.", nameof(weights));
            }
        }
        Schema = schema;
        Columns = columns;
        Labels = labels;
        Weights = weights;
    }

    public FeatureSchema Schema { get; }

    /// <summary>Columns[feature][row].</summary>
    public double[][] Columns { get; }

    public double[] Labels { get; }

    public double[]? Weights { get; }

    public int RowCount => Labels.Length;

    public int FeatureCount => Columns.Length;

    public double Weight(int row) => Weights is null ? 1.0 : Weights[row];

    public void CopyRow(int row, Span<double> destination)
    {
        for (var f = 0; f < Columns.Length; f++) destination[f] = Columns[f][row];
    }

    public double[] GetRow(int row)
    {
        var values = new double[Columns.Length];
        CopyRow(row, values);
        return values;
    }

    public Dataset Subset(ReadOnlySpan<int> rows)
    {
        var cols = new double[Columns.Length][];
        for (var f = 0; f < cols.Length; f++)
        {
            var src = Columns[f];
            var dst = new double[rows.Length];
            for (var i = 0; i < rows.Length; i++) dst[i] = src[rows[i]];
            cols[f] = dst;
        }
        var labels = new double[rows.Length];
        double[]? weights = Weights is null ? null : new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            labels[i] = Labels[rows[i]];
            if (weights is not null) weights[i] = Weights![rows[i]];
        }
        return new Dataset(Schema, cols, labels, weights);
    }

    /// <summary>Builds a dataset from text cells. See API.md for the rules.</summary>
    public static Dataset FromRows(
        IReadOnlyList<string> header,
        IEnumerable<IReadOnlyList<string?>> rows,
        string labelColumn,
        IReadOnlyList<string>? featureColumns = null,
        IReadOnlyDictionary<string, FeatureKind>? kinds = null,
        FeatureSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labelColumn);
        var headerIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            if (!headerIndex.TryAdd(header[i], i)) throw new ArgumentException($"Duplicate column '{header[i]}' in the header.", nameof(header));
        }
        if (!headerIndex.TryGetValue(labelColumn, out var labelIndex))
            throw new ArgumentException($"Label column '{labelColumn}' is not in the header.", nameof(labelColumn));

        IReadOnlyList<string> names = schema is not null
            ? schema.Names
            : featureColumns ?? header.Where(h => !string.Equals(h, labelColumn, StringComparison.Ordinal)).ToArray();
        var sourceIndex = new int[names.Count];
        for (var f = 0; f < names.Count; f++)
        {
            if (!headerIndex.TryGetValue(names[f], out sourceIndex[f]))
                throw new ArgumentException($"Feature column '{names[f]}' is not in the header.", nameof(header));
            if (sourceIndex[f] == labelIndex)
                throw new ArgumentException($"Column '{labelColumn}' cannot be both the label and a feature.", nameof(featureColumns));
        }

        var materialized = new List<IReadOnlyList<string?>>();
        var rowNumber = 0;
        foreach (var row in rows)
        {
            rowNumber++;
            if (row is null || row.Count != header.Count)
                throw new DatasetFormatException(labelColumn, rowNumber, "",
                    $"row {rowNumber}: expected {header.Count} cells, got {row?.Count ?? 0}");
            materialized.Add(row);
        }
        var n = materialized.Count;

        var labels = new double[n];
        for (var r = 0; r < n; r++)
        {
            var cell = materialized[r][labelIndex]?.Trim() ?? "";
            labels[r] = ParseLabel(cell) ?? throw new DatasetFormatException(labelColumn, r + 1, cell,
                $"column '{labelColumn}', row {r + 1}: '{cell}' is not a 0/1 label");
        }

        var specs = new FeatureSpec[names.Count];
        for (var f = 0; f < names.Count; f++)
        {
            if (schema is not null)
            {
                specs[f] = schema[f];
                continue;
            }
            var src = sourceIndex[f];
            FeatureKind kind;
            if (kinds is not null && kinds.TryGetValue(names[f], out var declared))
            {
                kind = declared;
            }
            else
            {
                kind = FeatureKind.Numeric;
                for (var r = 0; r < n; r++)
                {
                    var t = materialized[r][src]?.Trim();
                    if (!string.IsNullOrEmpty(t) && !FeatureSchema.TryParseNumber(t, out _))
                    {
                        kind = FeatureKind.Categorical;
                        break;
                    }
                }
            }
            if (kind == FeatureKind.Numeric)
            {
                specs[f] = new FeatureSpec(names[f], FeatureKind.Numeric);
            }
            else
            {
                var set = new SortedSet<string>(StringComparer.Ordinal);
                for (var r = 0; r < n; r++)
                {
                    var t = materialized[r][src]?.Trim();
                    if (!string.IsNullOrEmpty(t)) set.Add(t);
                }
                specs[f] = new FeatureSpec(names[f], FeatureKind.Categorical, set.ToArray());
            }
        }
        var finalSchema = schema ?? new FeatureSchema(specs);

        var columns = new double[names.Count][];
        for (var f = 0; f < names.Count; f++)
        {
            var col = new double[n];
            var src = sourceIndex[f];
            for (var r = 0; r < n; r++) col[r] = finalSchema.EncodeCell(f, materialized[r][src], r + 1);
            columns[f] = col;
        }
        return new Dataset(finalSchema, columns, labels);
    }

    private static double? ParseLabel(string cell)
    {
        switch (cell.ToLowerInvariant())
        {
            case "0": case "false": case "no": return 0.0;
            case "1": case "true": case "yes": return 1.0;
        }
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is 0.0 or 1.0) return v;
        return null;
    }
}
