using System.Globalization;
using LoanRecovery.Ml;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.Testing;

namespace LoanRecovery.RiskScoring.Tests;

public sealed class The_risk_model
{
    [Fact]
    public void Never_includes_post_decision_columns_or_gender_among_its_features()
    {
        Assert.DoesNotContain(RiskFeatures.Schema.Names, RiskFeatures.IsForbidden);
        foreach (var leak in new[] { "Collection_Attempts", "collection_method", "LegalActionTaken", "Recovery_Status", "Gender" })
        {
            var extended = RiskFeatures.Schema.Append(new FeatureSpec(leak, FeatureKind.Numeric));
            var refused = Assert.Throws<InvalidOperationException>(() => RiskFeatures.Build(extended));
            Assert.Contains(leak, refused.Message);
        }
    }

    [Fact]
    public void Learns_a_known_rule_passes_its_quality_gate_and_ranks_risky_loans_higher()
    {
        var loans = GeneratedPortfolio.Create(3000, seed: 7);

        var trained = RiskModelTrainer.Train(GeneratedPortfolio.Examples(loans), GeneratedPortfolio.Settings, TestContext.Current.CancellationToken);

        Assert.True(trained.Verdict.Usable, trained.Verdict.Reason);
        Assert.True(trained.Holdout.AucLow > 0.6, $"AUC {trained.Holdout.Auc} ({trained.Holdout.AucLow}–{trained.Holdout.AucHigh})");
        var scorer = new RiskScorer(new BandThresholds(0.5, 0.75), 4);
        var model = new ScoringModel("test", trained.Model, true);
        var calm = scorer.Score(model, Features(daysPastDue: 0, missed: 0, emi: 2_000m, income: 150_000m));
        var alarming = scorer.Score(model, Features(daysPastDue: 150, missed: 5, emi: 40_000m, income: 40_000m));
        Assert.True(alarming.Probability > calm.Probability + 0.3, $"{alarming.Probability} vs {calm.Probability}");
        Assert.Contains(RiskFeatures.DaysPastDue, alarming.Reasons.Select(r => r.Feature));
    }

    [Fact]
    public void On_the_seed_file_under_honest_features_says_it_is_not_usable()
    {
        var path = TestEnvironment.SeedFile;
        Assert.SkipWhen(path is null, TestEnvironment.SeedFileMissing);
        var lines = File.ReadAllLines(path!);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var examples = lines.Skip(1).Select(line => line.Split(',')).Select(c => new TrainingExample(new LoanFacts(
                int.Parse(c[Col("Age")], CultureInfo.InvariantCulture), c[Col("Employment_Type")], Dec(c[Col("Monthly_Income")]),
                int.Parse(c[Col("Num_Dependents")], CultureInfo.InvariantCulture), Dec(c[Col("Loan_Amount")]),
                int.Parse(c[Col("Loan_Tenure")], CultureInfo.InvariantCulture), Dec(c[Col("Interest_Rate")]), c[Col("Loan_Type")],
                Dec(c[Col("Collateral_Value")]), Dec(c[Col("Outstanding_Loan_Amount")]), Dec(c[Col("Monthly_EMI")]), c[Col("Payment_History")],
                int.Parse(c[Col("Num_Missed_Payments")], CultureInfo.InvariantCulture), int.Parse(c[Col("Days_Past_Due")], CultureInfo.InvariantCulture))
            .ToFeatures(), c[Col("Recovery_Status")] != "Fully Recovered"))
            .ToList();

        var trained = RiskModelTrainer.Train(examples, GeneratedPortfolio.Settings, TestContext.Current.CancellationToken);

        Assert.False(trained.Verdict.Usable);
        Assert.True(trained.Holdout.AucLow <= 0.5);
        Assert.Contains("not usable", trained.Verdict.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_score_explains_itself_exactly_with_the_top_four_reasons_in_words()
    {
        var trained = RiskModelTrainer.Train(GeneratedPortfolio.Examples(GeneratedPortfolio.Create(800, seed: 3)), GeneratedPortfolio.Settings,
            TestContext.Current.CancellationToken);
        var scorer = new RiskScorer(new BandThresholds(0.5, 0.75), 4);
        var model = new ScoringModel("test", trained.Model, trained.Verdict.Usable);

        foreach (var loan in GeneratedPortfolio.Create(200, seed: 11))
        {
            var score = scorer.Score(model, GeneratedPortfolio.Facts(loan.Opened).ToFeatures());

            Assert.Equal(score.RawScore, score.ExpectedValue + score.Contributions.Values.Sum(), 9);
            Assert.InRange(score.Reasons.Count, 1, 4);
            Assert.Equal(score.Reasons.OrderByDescending(r => Math.Abs(score.Contributions[r.Feature])).Select(r => r.Feature), score.Reasons.Select(r => r.Feature));
            Assert.All(score.Reasons, r => Assert.InRange(r.Contribution, -1, 1));
            var weakestReason = score.Reasons.Min(r => Math.Abs(score.Contributions[r.Feature]));
            var strongestOther = score.Contributions.Where(c => score.Reasons.All(r => r.Feature != c.Key)).Select(c => Math.Abs(c.Value)).DefaultIfEmpty(0).Max();
            Assert.True(weakestReason >= strongestOther, "the reasons are the four largest exact contributions");
            Assert.All(score.Reasons, r => Assert.Matches(" (raised|lowered) the risk by [0-9]\\.[0-9]{2}$", r.Sentence));
        }
    }

    [Theory]
    [InlineData(0.80, "High")]
    [InlineData(0.75, "Medium")]
    [InlineData(0.50, "Medium")]
    [InlineData(0.4999, "Low")]
    public void Bands_follow_the_configured_thresholds(double probability, string band) =>
        Assert.Equal(band, new BandThresholds(0.50, 0.75).BandOf(probability).ToString());

    [Fact]
    public void Reasons_read_in_plain_words()
    {
        var dpd = RiskFeatures.Schema[RiskFeatures.Schema.IndexOf(RiskFeatures.DaysPastDue)];
        var loanType = RiskFeatures.Schema[RiskFeatures.Schema.IndexOf(RiskFeatures.LoanType)];

        Assert.Equal("12 days past due raised the risk by 0.08", ReasonText.Sentence(dpd, 12, 0.08));
        Assert.Equal("A Business loan lowered the risk by 0.03", ReasonText.Sentence(loanType, 3, -0.031));
    }

    private static IReadOnlyDictionary<string, double?> Features(int daysPastDue, int missed, decimal emi, decimal income) =>
        new LoanFacts(40, "Salaried", income, 1, 500_000m, 36, 10.5m, "Personal", 100_000m, 350_000m, emi, daysPastDue > 0 ? "Delayed" : "On-Time",
            missed, daysPastDue).ToFeatures();

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
