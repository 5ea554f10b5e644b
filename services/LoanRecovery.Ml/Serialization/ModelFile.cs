using System.Text.Json;
using System.Text.Json.Serialization;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Ml.Serialization;

/// <summary>A model file could not be read, or a model does not fit the data it is asked to score.</summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException(string message) : base(message)
    {
    }

    public ModelFileException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>Versioned JSON model files. Doubles are written in their shortest round-trip form, so a loaded
/// model reproduces the saved model's predictions exactly.</summary>
public static class ModelFile
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        MaxDepth = 64,
    };

    public static void Save(TreeEnsembleModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        var dto = new ModelDto
        {
            SchemaVersion = SchemaVersion,
            Kind = model.Kind.ToString(),
            BaseScore = model.Bias,
            Features = model.Schema.Select((f, i) => new FeatureDto
            {
                Name = f.Name,
                Kind = f.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
                Categories = f.Kind == FeatureKind.Categorical ? (f.Categories ?? []).ToArray() : null,
                BinEdges = f.Kind == FeatureKind.Numeric ? model.BinEdges[i] : null,
            }).ToList(),
            Trees = model.Trees.Select(ToDto).ToList(),
            Calibration = model.Calibrator?.ToData(),
            Metadata = new SortedDictionary<string, string>(model.Metadata, StringComparer.Ordinal),
            Metrics = new SortedDictionary<string, double>(model.Metrics, StringComparer.Ordinal),
        };
        JsonSerializer.Serialize(stream, dto, JsonOptions);
    }

    public static void Save(TreeEnsembleModel model, string path)
    {
        using var stream = File.Create(path);
        Save(model, stream);
    }

    public static TreeEnsembleModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    public static TreeEnsembleModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"Model file is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ModelFileException("Model file must contain a JSON object.");
            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
                throw new ModelFileException("Model file has no schemaVersion.");
            if (!version.TryGetInt32(out var v) || v != SchemaVersion)
                throw new ModelFileException($"Model file schemaVersion {version.GetRawText()} is not supported (this build reads version {SchemaVersion}).");
            ModelDto? dto;
            try
            {
                dto = root.Deserialize<ModelDto>(JsonOptions);
            }
            catch (JsonException e)
            {
                throw new ModelFileException($"Model file content is invalid: {e.Message}", e);
            }
            if (dto is null) throw new ModelFileException("Model file is empty.");
            return FromDto(dto);
        }
    }

    private static TreeEnsembleModel FromDto(ModelDto dto)
    {
        if (dto.Features is null || dto.Features.Count == 0) throw new ModelFileException("Model file lists no features.");
        if (dto.Trees is null) throw new ModelFileException("Model file has no trees.");
        var specs = new List<FeatureSpec>();
        var edges = new double[]?[dto.Features.Count];
        for (var i = 0; i < dto.Features.Count; i++)
        {
            var f = dto.Features[i] ?? throw new ModelFileException($"Feature {i} is null.");
            if (string.IsNullOrWhiteSpace(f.Name)) throw new ModelFileException($"Feature {i} has no name.");
            var kind = f.Kind switch
            {
                "numeric" => FeatureKind.Numeric,
                "categorical" => FeatureKind.Categorical,
                _ => throw new ModelFileException($"Feature '{f.Name}' has unknown kind '{f.Kind}'."),
            };
            specs.Add(new FeatureSpec(f.Name, kind, kind == FeatureKind.Categorical ? f.Categories ?? [] : null));
            edges[i] = f.BinEdges;
        }
        FeatureSchema schema;
        try
        {
            schema = new FeatureSchema(specs);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"Model file features are invalid: {e.Message}", e);
        }
        var trees = new List<DecisionTree>(dto.Trees.Count);
        for (var t = 0; t < dto.Trees.Count; t++) trees.Add(FromDto(dto.Trees[t], t, schema));

        TreeEnsembleModel model = dto.Kind switch
        {
            nameof(ModelKind.GradientBoosting) => double.IsFinite(dto.BaseScore)
                ? new GradientBoostedModel(schema, trees, dto.BaseScore, edges)
                : throw new ModelFileException("Model file baseScore is not a finite number."),
            nameof(ModelKind.RandomForest) => trees.Count > 0
                ? new RandomForestModel(schema, trees, edges)
                : throw new ModelFileException("A random forest model file needs at least one tree."),
            _ => throw new ModelFileException($"Model file kind '{dto.Kind}' is unknown (expected GradientBoosting or RandomForest)."),
        };
        if (dto.Metadata is not null)
        {
            foreach (var (k, value) in dto.Metadata) model.Metadata[k] = value;
        }
        if (dto.Metrics is not null)
        {
            foreach (var (k, value) in dto.Metrics) model.Metrics[k] = value;
        }
        if (dto.Calibration is not null)
        {
            try
            {
                model.Calibrator = CalibratorFactory.Create(dto.Calibration);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new ModelFileException($"Model file calibration is invalid: {e.Message}", e);
            }
        }
        return model;
    }

    private static TreeDto ToDto(DecisionTree tree)
    {
        var threshold = new double[tree.NodeCount];
        for (var i = 0; i < tree.NodeCount; i++)
        {
            threshold[i] = tree.Feature[i] >= 0 && tree.CategoriesLeft[i] is null ? tree.Threshold[i] : 0;
        }
        return new TreeDto
        {
            Feature = tree.Feature,
            Threshold = threshold,
            Left = tree.Left,
            Right = tree.Right,
            DefaultLeft = tree.DefaultLeft,
            Value = tree.Value,
            Cover = tree.Cover,
            Categories = tree.CategoriesLeft.Any(c => c is not null) ? tree.CategoriesLeft : null,
        };
    }

    private static DecisionTree FromDto(TreeDto? dto, int index, FeatureSchema schema)
    {
        if (dto?.Feature is null || dto.Threshold is null || dto.Left is null || dto.Right is null || dto.DefaultLeft is null
            || dto.Value is null || dto.Cover is null)
            throw new ModelFileException($"Tree {index} is missing node arrays.");
        var n = dto.Feature.Length;
        var cats = dto.Categories ?? new int[]?[n];
        if (cats.Length != n) throw new ModelFileException($"Tree {index}: categories must have one entry per node.");
        var threshold = (double[])dto.Threshold.Clone();
        if (threshold.Length == n)
        {
            for (var i = 0; i < n; i++)
            {
                if (cats[i] is not null) threshold[i] = double.NaN;
            }
        }
        var tree = new DecisionTree(dto.Feature, threshold, dto.Left, dto.Right, dto.DefaultLeft, dto.Value, dto.Cover, cats);
        var problem = tree.Check(schema);
        if (problem is not null) throw new ModelFileException($"Tree {index} is invalid: {problem}.");
        return tree;
    }

    private sealed class ModelDto
    {
        public int SchemaVersion { get; set; }
        public string? Kind { get; set; }
        public double BaseScore { get; set; }
        public List<FeatureDto>? Features { get; set; }
        public List<TreeDto>? Trees { get; set; }
        public CalibrationData? Calibration { get; set; }
        public IDictionary<string, string>? Metadata { get; set; }
        public IDictionary<string, double>? Metrics { get; set; }
    }

    private sealed class FeatureDto
    {
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public string[]? Categories { get; set; }
        public double[]? BinEdges { get; set; }
    }

    private sealed class TreeDto
    {
        public int[]? Feature { get; set; }
        public double[]? Threshold { get; set; }
        public int[]? Left { get; set; }
        public int[]? Right { get; set; }
        public bool[]? DefaultLeft { get; set; }
        public double[]? Value { get; set; }
        public double[]? Cover { get; set; }
        public int[]?[]? Categories { get; set; }
    }
}
