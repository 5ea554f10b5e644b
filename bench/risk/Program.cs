using System.Diagnostics;
using LoanRecovery.Ml.Trees;
using LoanRecovery.RiskScoring;
using LoanRecovery.RiskScoring.Domain;

// Scoring with explanations as the PaymentRecorded consumer does it (features → calibrated probability →
// exact TreeSHAP → top reasons in words), one event at a time, against the service's default model settings;
// beside it the raw prediction and TreeSHAP of the same model, which LoanRecovery.Ml's own benchmark reports.
var events = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var options = new RiskScoringOptions();
var random = new Random(5);
var portfolio = Enumerable.Range(0, 4000 + events).Select(_ => Loan(random)).ToList();
var training = portfolio.Take(4000).Select(l => new TrainingExample(l.Facts.ToFeatures(), l.NotRecovered)).ToList();

var fit = Stopwatch.StartNew();
var trained = RiskModelTrainer.Train(training, new TrainingSettings(options.Trees, options.MaxDepth, options.LearningRate, options.MinChildWeight,
    options.HoldoutFraction, options.CalibrationFraction, options.MinimumTrainingRows, options.Seed));
fit.Stop();
var model = new ScoringModel("bench", trained.Model, trained.Verdict.Usable);
var scorer = new RiskScorer(new BandThresholds(options.MediumThreshold, options.HighThreshold), options.ReasonCount);
var scored = portfolio.Skip(4000).Select(l => l.Facts.ToFeatures()).ToList();

// Warm up the JIT and the caches the way a running consumer is warm.
foreach (var features in scored.Take(2000))
    scorer.Score(model, features);

var consumerStep = Measure(scored, features => scorer.Score(model, features));
var rows = scored.Select(f => FeatureVector.ToRow(f, trained.Model.Schema)).ToList();
var raw = Measure(rows, row => trained.Model.PredictRaw(row));
var shapBuffer = new double[trained.Model.Schema.Count];
var shap = Measure(rows, row => trained.Model.Shap(row, shapBuffer));

Console.WriteLine($"model: {trained.Model.TreeCount} trees, depth {options.MaxDepth}, {trained.Model.Schema.Count} features; fit {fit.Elapsed.TotalSeconds:0.00} s on 4,000 outcomes; holdout AUC {trained.Holdout.Auc:0.000}");
Console.WriteLine($"events: {events:N0}, one at a time, single thread");
Console.WriteLine("| step | p50 µs | p90 µs | p99 µs | max µs |");
Console.WriteLine("|---|---|---|---|---|");
Print("consumer scoring step (features, calibrated score, TreeSHAP, 4 reasons)", consumerStep);
Print("raw prediction only (PredictRaw)", raw);
Print("TreeSHAP only (Shap)", shap);
return;

static double[] Measure<T>(IReadOnlyList<T> items, Action<T> action)
{
    var micros = new double[items.Count];
    for (var i = 0; i < items.Count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action(items[i]);
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(micros);
    return micros;
}

static void Print(string name, double[] sorted)
{
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine($"| {name} | {At(0.50):0.0} | {At(0.90):0.0} | {At(0.99):0.0} | {sorted[^1]:0.0} |");
}

static (LoanFacts Facts, bool NotRecovered) Loan(Random random)
{
    var income = (decimal)(15_000 + random.NextDouble() * 200_000);
    var amount = (decimal)(50_000 + random.NextDouble() * 1_500_000);
    var emi = amount / (12 + random.Next(0, 60));
    var dpd = random.Next(0, 7) * 30;
    var missed = Math.Min(12, dpd / 30 + random.Next(0, 2));
    var risk = 1 / (1 + Math.Exp(-(-2.2 + 0.035 * dpd + 0.5 * missed + 4.0 * (double)(emi / income))));
    var facts = new LoanFacts(25 + random.Next(0, 40), "Salaried", income, random.Next(0, 4), amount, 36, 10.5m, "Personal",
        amount * (decimal)random.NextDouble(), amount * 0.7m, emi, dpd > 0 ? "Delayed" : "On-Time", missed, Math.Max(dpd, 1));
    return (facts, random.NextDouble() < risk);
}
