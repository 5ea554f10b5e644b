using System.Globalization;
using global::CsvHelper;
using LoanRecovery.Ml;

namespace LoanRecovery.Cli;

/// <summary>A CSV file held as text cells; empty cells are null (missing).</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _index;

    private CsvTable(string path, string[] header, List<string?[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
            if (!_index.TryAdd(header[i], i))
                throw new CliException($"{path}: column '{header[i]}' appears twice in the header.");
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string?[]> Rows { get; }

    public int IndexOf(string column) => _index.TryGetValue(column, out int i) ? i : -1;

    public int Require(string column, string role)
    {
        int i = IndexOf(column);
        if (i < 0)
            throw new CliException($"{role} column '{column}' is not in {Path}; its columns are: {string.Join(", ", Header)}.");
        return i;
    }

    public static CsvTable Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("No data file given.");
        if (!File.Exists(path)) throw new CliException($"Data file '{path}' does not exist.");
        var options = new CsvReaderOptions { HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true, SkipEmptyLines = true };
        var rows = new List<string?[]>();
        string[] header;
        try
        {
            using var csv = CsvReader.FromFile(path, options);
            header = csv.Headers.Select(h => h.Trim()).ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrEmpty))
                throw new CliException($"{path} is empty: no header row.");
            while (csv.Read())
            {
                int count = csv.FieldCount;
                if (count != header.Length)
                    throw new CliException($"{path}, row {csv.RowNumber} (line {csv.LineNumber}): {count} cells, but the header has {header.Length} columns.");
                var cells = new string?[count];
                for (int i = 0; i < count; i++)
                {
                    var v = csv.GetString(i);
                    cells[i] = string.IsNullOrWhiteSpace(v) ? null : v.Trim();
                }
                rows.Add(cells);
            }
        }
        catch (CsvFormatException ex)
        {
            throw new CliException($"{path} is not valid CSV: {ex.Message}");
        }
        if (rows.Count == 0) throw new CliException($"{path} has a header but no data rows.");
        return new CsvTable(path, header, rows);
    }
}

/// <summary>How label text maps to 1 (positive) and 0.</summary>
public sealed class LabelRule
{
    private readonly HashSet<string>? _positive;
    private readonly HashSet<string>? _negative;

    public LabelRule(string column, string? positive, string? negative)
    {
        Column = column;
        if (positive is not null && negative is not null)
            throw new CliException("Give either --positive or --negative, not both.");
        _positive = Split(positive);
        _negative = Split(negative);
    }

    public string Column { get; }

    public string Describe() =>
        _positive is not null ? $"1 = {Column} in {{{string.Join(", ", _positive)}}}"
        : _negative is not null ? $"1 = {Column} not in {{{string.Join(", ", _negative)}}}"
        : $"1/0 read from {Column}";

    public string? PositiveText => _positive is null ? null : string.Join(",", _positive);
    public string? NegativeText => _negative is null ? null : string.Join(",", _negative);

    private static HashSet<string>? Split(string? list)
    {
        if (list is null) return null;
        var set = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (set.Count == 0) throw new CliException("--positive/--negative needs at least one label value.");
        return set;
    }

    /// <summary>0/1 label of every row; names the row of an empty or unreadable label, and refuses a single class.</summary>
    public int[] Labels(CsvTable table, bool requireBothClasses = true)
    {
        int col = table.Require(Column, "Label");
        var y = new int[table.Rows.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < y.Length; r++)
        {
            var cell = table.Rows[r][col];
            if (cell is null)
                throw new CliException($"Label column '{Column}', row {r + 1} (line {r + 2}): the label is empty.");
            seen.Add(cell);
            if (_positive is not null) y[r] = _positive.Contains(cell) ? 1 : 0;
            else if (_negative is not null) y[r] = _negative.Contains(cell) ? 0 : 1;
            else y[r] = ParseBinary(cell) ?? throw new CliException(
                $"Label column '{Column}', row {r + 1} (line {r + 2}): '{cell}' is not 0/1, true/false or yes/no; say which values are positive with --positive \"A,B\" (or --negative).");
        }
        foreach (var v in (_positive ?? []).Concat(_negative ?? []))
            if (!seen.Contains(v))
                throw new CliException($"Label value '{v}' never occurs in column '{Column}'; its values are: {string.Join(", ", seen.Order(StringComparer.Ordinal))}.");
        int pos = y.Sum();
        if (requireBothClasses && (pos == 0 || pos == y.Length))
            throw new CliException($"Label column '{Column}' has one class only: all {y.Length} rows are {(pos == 0 ? "0 (negative)" : "1 (positive)")} under {Describe()}; a classifier needs both.");
        return y;
    }

    private static int? ParseBinary(string cell) => cell.ToLowerInvariant() switch
    {
        "0" or "0.0" or "false" or "no" => 0,
        "1" or "1.0" or "true" or "yes" => 1,
        _ => null,
    };
}

/// <summary>Turns a table into the library's <see cref="Dataset"/>: column choice, kind inference and checks.</summary>
public static class DatasetBuilder
{
    /// <summary>A column whose non-empty cells are at least this share numbers is meant to be numeric; a text cell in it is an error.</summary>
    public const double NumericMajority = 0.9;

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static IReadOnlyList<string> ParseList(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Feature columns: every column but the label and the excluded ones (each excluded column must exist).</summary>
    public static IReadOnlyList<string> FeatureColumns(CsvTable table, string label, IReadOnlyList<string> exclude)
    {
        foreach (var e in exclude) table.Require(e, "Excluded");
        var features = table.Header.Where(h => h != label && !exclude.Contains(h)).ToArray();
        if (features.Length == 0) throw new CliException("No feature columns are left after the label and --exclude.");
        return features;
    }

    /// <summary>
    /// Decides numeric or categorical per column. Declared kinds win. Otherwise a column of numbers is numeric,
    /// a column of text categorical, and a column that is mostly numbers with a few text cells is refused,
    /// naming the first text cell, since that is almost always a data error.
    /// </summary>
    public static Dictionary<string, FeatureKind> InferKinds(CsvTable table, IReadOnlyList<string> features,
        IReadOnlyList<string> declaredCategorical, IReadOnlyList<string> declaredNumeric)
    {
        foreach (var c in declaredCategorical.Concat(declaredNumeric)) table.Require(c, "Declared");
        var kinds = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        foreach (var name in features)
        {
            if (declaredCategorical.Contains(name)) { kinds[name] = FeatureKind.Categorical; continue; }
            int col = table.IndexOf(name);
            int numeric = 0, text = 0, firstText = -1;
            for (int r = 0; r < table.Rows.Count; r++)
            {
                var cell = table.Rows[r][col];
                if (cell is null) continue;
                if (TryParseNumber(cell, out _)) numeric++;
                else { if (firstText < 0) firstText = r; text++; }
            }
            bool numericColumn = declaredNumeric.Contains(name) || (numeric > 0 && (double)numeric / (numeric + text) >= NumericMajority);
            if (numericColumn && text > 0)
                throw new CliException(
                    $"Column '{name}', row {firstText + 1} (line {firstText + 2}): '{table.Rows[firstText][col]}' is not a number, " +
                    $"but {numeric} of {numeric + text} values in the column are numbers. Fix the cell, or declare the column with --categorical {name}.");
            kinds[name] = numericColumn ? FeatureKind.Numeric : FeatureKind.Categorical;
        }
        return kinds;
    }

    /// <summary>Builds a dataset of the given rows with 0/1 labels. With <paramref name="schema"/> the encoding follows it.</summary>
    public static Dataset Build(CsvTable table, int[] labels, IReadOnlyList<string> features,
        IReadOnlyDictionary<string, FeatureKind>? kinds, FeatureSchema? schema = null)
    {
        const string labelName = "__label__";
        var header = features.Append(labelName).ToArray();
        var idx = features.Select(f => table.IndexOf(f)).ToArray();
        IEnumerable<IReadOnlyList<string?>> Rows()
        {
            for (int r = 0; r < table.Rows.Count; r++)
            {
                var src = table.Rows[r];
                var cells = new string?[idx.Length + 1];
                for (int i = 0; i < idx.Length; i++) cells[i] = src[idx[i]];
                cells[^1] = labels[r] == 1 ? "1" : "0";
                yield return cells;
            }
        }
        try
        {
            return Dataset.FromRows(header, Rows(), labelName, features, kinds, schema);
        }
        catch (DatasetFormatException ex)
        {
            throw new CliException($"Column '{ex.Column}', row {ex.Row} (line {ex.Row + 1}): '{ex.Value}' is not a number.");
        }
    }

    /// <summary>Encodes the model's feature columns of every row, refusing a file that lacks any of them.</summary>
    public static double[][] EncodeForModel(CsvTable table, FeatureSchema schema)
    {
        var missing = schema.Names.Where(n => table.IndexOf(n) < 0).ToArray();
        if (missing.Length > 0)
            throw new CliException(
                $"{table.Path} does not match the model: it lacks the model's feature column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}. " +
                $"The model expects: {string.Join(", ", schema.Names)}.");
        var idx = schema.Names.Select(table.IndexOf).ToArray();
        var rows = new double[table.Rows.Count][];
        var cells = new string?[idx.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int i = 0; i < idx.Length; i++) cells[i] = table.Rows[r][idx[i]];
            rows[r] = new double[idx.Length];
            try
            {
                schema.EncodeRow(cells, rows[r], r + 1);
            }
            catch (DatasetFormatException ex)
            {
                throw new CliException($"Column '{ex.Column}', row {ex.Row} (line {ex.Row + 1}): '{ex.Value}' is not a number, but the model reads '{ex.Column}' as numeric.");
            }
        }
        return rows;
    }
}
