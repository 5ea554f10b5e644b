using System.CommandLine;
using LoanRecovery.Ml.Trees;

namespace LoanRecovery.Cli;

/// <summary>Options shared by train and evaluate, and the settings they read into.</summary>
public sealed class ModelOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "CSV file with a header row; empty cells are missing values.", Required = true };
    public Option<string> Label { get; } = new("--label") { Description = "Name of the label column.", Required = true };
    public Option<string?> Positive { get; } = new("--positive") { Description = "Comma-separated label values that mean 1 (positive class); the rest are 0." };
    public Option<string?> Negative { get; } = new("--negative") { Description = "Comma-separated label values that mean 0; every other value is 1." };
    public Option<string?> Exclude { get; } = new("--exclude") { Description = "Comma-separated columns that must not be features (ids, post-decision columns)." };
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "Comma-separated columns to treat as categorical even if they look numeric." };
    public Option<string?> Numeric { get; } = new("--numeric") { Description = "Comma-separated columns that must be numeric (a text cell is an error)." };
    public Option<string> Model { get; } = new("--model") { Description = "gbdt (gradient boosting) or forest (random forest).", DefaultValueFactory = _ => "gbdt" };
    public Option<int> Trees { get; } = new("--trees") { Description = "Number of trees.", DefaultValueFactory = _ => 300 };
    public Option<int?> Depth { get; } = new("--depth") { Description = "Maximum tree depth (default 6 for gbdt, unlimited for forest)." };
    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Shrinkage per boosting round (gbdt).", DefaultValueFactory = _ => 0.1 };
    public Option<int?> EarlyStopping { get; } = new("--early-stopping") { Description = "Stop boosting after N rounds without improvement on the calibration split (gbdt)." };
    public Option<string> Calibration { get; } = new("--calibration") { Description = "isotonic, platt or none; fitted on a split of the training rows never used for fitting or metrics.", DefaultValueFactory = _ => "isotonic" };
    public Option<double> CalibrationFraction { get; } = new("--calibration-fraction") { Description = "Share of the training rows held back for calibration.", DefaultValueFactory = _ => 0.2 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of splits and sampling; the same seed gives the same model.", DefaultValueFactory = _ => 42 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads for fitting.", DefaultValueFactory = _ => 1 };
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Label, Positive, Negative, Exclude, Categorical, Numeric, Model, Trees, Depth, LearningRate,
                     EarlyStopping, Calibration, CalibrationFraction, Seed, Threads, Json })
            command.Options.Add(o);
    }

    public ModelSettings Read(ParseResult p)
    {
        var model = p.GetValue(Model)!.Trim().ToLowerInvariant();
        if (model is not ("gbdt" or "forest")) throw new CliException($"--model must be gbdt or forest, not '{model}'.");
        var calibration = p.GetValue(Calibration)!.Trim().ToLowerInvariant();
        if (calibration is not ("isotonic" or "platt" or "none")) throw new CliException($"--calibration must be isotonic, platt or none, not '{calibration}'.");
        int trees = p.GetValue(Trees);
        if (trees < 1) throw new CliException("--trees must be at least 1.");
        int? depth = p.GetValue(Depth);
        if (depth is < 1) throw new CliException("--depth must be at least 1.");
        double lr = p.GetValue(LearningRate);
        if (!(lr > 0 && lr <= 1)) throw new CliException("--learning-rate must lie in (0, 1].");
        double cf = p.GetValue(CalibrationFraction);
        if (calibration != "none" && !(cf > 0 && cf < 1)) throw new CliException("--calibration-fraction must lie strictly between 0 and 1.");
        int threads = p.GetValue(Threads);
        if (threads < 1) throw new CliException("--threads must be at least 1.");
        var early = p.GetValue(EarlyStopping);
        if (early is not null && calibration == "none") throw new CliException("--early-stopping needs the calibration split; do not combine it with --calibration none.");
        return new ModelSettings(model, trees, depth, lr, early, calibration, cf, p.GetValue(Seed), threads);
    }
}

public sealed record ModelSettings(string Model, int Trees, int? Depth, double LearningRate, int? EarlyStopping,
    string Calibration, double CalibrationFraction, int Seed, int Threads)
{
    public GradientBoostingOptions Boosting() => new()
    {
        Trees = Trees,
        MaxDepth = Depth ?? 6,
        LearningRate = LearningRate,
        EarlyStoppingRounds = EarlyStopping,
        Seed = Seed,
        Threads = Threads,
    };

    public RandomForestOptions Forest() => new()
    {
        Trees = Trees,
        MaxDepth = Depth,
        Seed = Seed,
        Threads = Threads,
    };

    public string Describe() => Model == "gbdt"
        ? $"gradient boosting, {Trees} trees, depth {Depth ?? 6}, learning rate {Output.F(LearningRate, "0.###")}{(EarlyStopping is int e ? $", early stopping after {e} rounds" : "")}"
        : $"random forest, {Trees} trees, depth {(Depth is int d ? d.ToString() : "unlimited")}";
}
