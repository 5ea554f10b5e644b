using LoanRecovery.Ml;
using LoanRecovery.Ml.Evaluation;
using LoanRecovery.Ml.Trees;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Hidden_model_signal(ITestOutputHelper log)
{
    /// <summary>What is known when a loan is opened: no delinquency figure, no outcome, no collection column.</summary>
    private static readonly string[] HonestFeatures =
    [
        "Age", "Gender", "Employment_Type", "Monthly_Income", "Num_Dependents", "Loan_Amount", "Loan_Tenure", "Interest_Rate",
        "Loan_Type", "Collateral_Value", "Monthly_EMI",
    ];

    [Fact]
    public void A_gradient_boosted_model_on_honest_features_reaches_a_holdout_AUC_well_above_chance_but_not_perfect()
    {
        var rows = PortfolioCsv.History(Simulation.Default, PortfolioGenerator.Generate(Simulation.Default, 6000, 99), 99);
        var header = PortfolioCsv.Header.Append("Not_Fully_Recovered").ToArray();
        IReadOnlyList<string?> Cells(PortfolioCsv.Row r) => r.Cells().Append(r.RecoveryStatus == "Fully Recovered" ? "0" : "1").ToArray();
        var split = rows.Count * 7 / 10;
        var kinds = new Dictionary<string, FeatureKind>
        {
            ["Gender"] = FeatureKind.Categorical, ["Employment_Type"] = FeatureKind.Categorical, ["Loan_Type"] = FeatureKind.Categorical,
        };
        var train = Dataset.FromRows(header, rows.Take(split).Select(Cells), "Not_Fully_Recovered", HonestFeatures, kinds);
        var holdout = Dataset.FromRows(header, rows.Skip(split).Select(Cells), "Not_Fully_Recovered", HonestFeatures, kinds, train.Schema);

        var model = GradientBoostingTrainer.Fit(train, null, new GradientBoostingOptions { Trees = 150, MaxDepth = 3, LearningRate = 0.05, Seed = 1 });
        var scores = model.PredictProbability(holdout);
        var auc = Auc.Value(scores, holdout.Labels.Select(l => (int)l).ToArray());

        log.WriteLine($"holdout AUC {auc:F3} on {holdout.RowCount} loans, {holdout.Labels.Average():P1} not fully recovered");
        Assert.InRange(auc, 0.65, 0.95);
    }
}
