using LoanRecovery.Dashboard.Clients;
using static LoanRecovery.Dashboard.Charts.Echarts;

namespace LoanRecovery.Dashboard.Charts;

public static class ModelCharts
{
    public static ChartSpec Auc(IReadOnlyList<ModelSummary> models)
    {
        // Oldest first, so the chart reads left to right in time. The out-of-time figures of a promotion decision when there is one.
        var estimates = models.OrderBy(m => m.TrainedAt).Select(m => m.Decision is { } d
            ? new Estimate(m.Version + (m.IsChampion ? " (champion)" : ""), d.ChallengerAuc, d.ChallengerAucLow, d.ChallengerAucHigh)
            : new Estimate(m.Version + (m.IsChampion ? " (champion)" : ""), m.Auc, m.AucLow, m.AucHigh)).ToList();
        var champion = models.FirstOrDefault(m => m.IsChampion);
        var reading = champion is null ? "No model yet." : $"Champion {champion.Version}: {champion.Statement}";
        return new ChartSpec("model-auc", "AUC of each model version (out of time; 95% interval; 0.5 is chance)", reading,
            IntervalBars.Option(estimates, "AUC", 0, 1), estimates.Count);
    }

    public static ChartSpec Calibration(ModelDetail model)
    {
        var bins = model.Calibration.Bins.Where(b => b.Count > 0).ToList();
        var worst = bins.MaxBy(b => Math.Abs(b.MeanPredicted - b.ObservedRate));
        var reading = worst is null
            ? "No calibration table."
            : $"Points on the diagonal are well calibrated; expected calibration error {model.Calibration.Ece:0.000} on {model.Calibration.Rows} holdout loans, " +
              $"the largest gap {Math.Abs(worst.MeanPredicted - worst.ObservedRate):0.00} at a predicted {worst.MeanPredicted:0.00} ({worst.Count} loans).";
        var option = new
        {
            tooltip = new { trigger = "item" },
            legend = Legend(),
            grid = Grid(),
            xAxis = new { type = "value", name = "Mean predicted probability", min = 0, max = 1, nameLocation = "middle", nameGap = 28 },
            yAxis = Value("Observed rate", 0, 1),
            series = new object[]
            {
                new { name = "Perfect calibration", type = "line", symbol = "none", lineStyle = new { type = "dashed", color = "#999" }, data = new[] { new[] { 0.0, 0.0 }, new[] { 1.0, 1.0 } } },
                new { name = $"Model {model.Summary.Version}", type = "line", data = bins.Select(b => new[] { Round(b.MeanPredicted), Round(b.ObservedRate) }).ToArray() },
            },
        };
        return new ChartSpec("calibration", $"Calibration curve of {model.Summary.Version}", reading, option, bins.Count);
    }

    public static ChartSpec Importance(ModelDetail model)
    {
        var ordered = model.GlobalImportance.OrderBy(i => i.Value).ToList();
        var top = model.GlobalImportance.OrderByDescending(i => i.Value).Take(3).Select(i => i.Key).ToList();
        var reading = top.Count == 0 ? "No importance recorded." : $"The features that move the scores most: {string.Join(", ", top)}.";
        var option = new
        {
            tooltip = Tooltip(),
            grid = Grid(),
            xAxis = Value("Mean |contribution| (log-odds)"),
            yAxis = Category(ordered.Select(i => i.Key)),
            series = new object[] { new { name = "Importance", type = "bar", data = ordered.Select(i => Round(i.Value)).ToArray() } },
        };
        return new ChartSpec("importance", $"Global importance of {model.Summary.Version}", reading, option, ordered.Count);
    }

    public static ChartSpec Drift(DriftReport drift)
    {
        var items = drift.Items.Where(i => i.Psi is not null).OrderByDescending(i => i.Psi).ToList();
        var option = new
        {
            tooltip = Tooltip(),
            grid = Grid(),
            xAxis = Category(items.Select(i => i.Variable)),
            yAxis = Value("PSI"),
            series = new object[]
            {
                new
                {
                    name = "PSI", type = "bar",
                    data = items.Select(i => new { value = Round(i.Psi!.Value), itemStyle = new { color = i.Flagged ? "#a4161a" : "#0b5cad" } }).ToArray(),
                    markLine = new { symbol = "none", data = new[] { new { yAxis = 0.2, name = "flag" } }, label = new { formatter = "0.2: investigate" } },
                },
            },
        };
        return new ChartSpec("drift", "Drift: population stability index (PSI) of the score and each feature", drift.Statement, option, items.Count);
    }
}
