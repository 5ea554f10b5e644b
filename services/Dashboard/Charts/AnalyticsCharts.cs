using LoanRecovery.Dashboard.Clients;
using static LoanRecovery.Dashboard.Charts.Echarts;

namespace LoanRecovery.Dashboard.Charts;

/// <summary>The five charts of the portfolio analyses, from RiskScoring's server-side aggregates.</summary>
public static class AnalyticsCharts
{
    public static IReadOnlyList<ChartSpec> Build(PortfolioAnalytics a) =>
    [
        LoanAmount(a),
        ByStatus("payment-history-vs-status", "Payment history vs recovery status", "Payment history", a.PaymentHistoryByStatus, a.LoansWithOutcome),
        ByStatus("missed-payments-vs-status", "Missed payments vs recovery status", "Missed payments", a.MissedPaymentsByStatus, a.LoansWithOutcome),
        IncomeAndAmountByStatus(a),
        Segments(a),
    ];

    private static ChartSpec LoanAmount(PortfolioAnalytics a)
    {
        var bins = a.LoanAmountDistribution;
        var bands = a.LoanAmountByIncome;
        var peak = bins.MaxBy(b => b.Count);
        var reading = peak is null
            ? "No loan yet."
            : $"{a.Loans:#,0} loans; the most common amounts are {Money(peak.From)}–{Money(peak.To)} ({peak.Count:#,0} loans)" +
              (bands.Count >= 2
                  ? $"; the average amount goes from {Money(bands[0].AverageLoanAmount)} in the lowest income band to {Money(bands[^1].AverageLoanAmount)} in the highest."
                  : ".");
        var option = new
        {
            tooltip = Tooltip(),
            title = new object[]
            {
                new { text = "Distribution of loan amounts", left = "2%", textStyle = new { fontSize = 13 } },
                new { text = "Average loan amount by monthly income band", left = "52%", textStyle = new { fontSize = 13 } },
            },
            grid = new object[] { new { left = "6%", width = "40%", top = 40, bottom = 70 }, new { left = "56%", width = "40%", top = 40, bottom = 70 } },
            xAxis = new object[]
            {
                new { type = "category", gridIndex = 0, name = "Loan amount", nameLocation = "middle", nameGap = 45, data = bins.Select(b => $"{Money(b.From)}–{Money(b.To)}").ToArray(), axisLabel = new { rotate = 30 } },
                new { type = "category", gridIndex = 1, name = "Monthly income", nameLocation = "middle", nameGap = 45, data = bands.Select(b => $"{Money(b.IncomeFrom)}–{Money(b.IncomeTo)}").ToArray(), axisLabel = new { rotate = 30 } },
            },
            yAxis = new object[] { new { type = "value", gridIndex = 0, name = "Loans" }, new { type = "value", gridIndex = 1, name = "Average loan amount" } },
            series = new object[]
            {
                new { name = "Loans", type = "bar", xAxisIndex = 0, yAxisIndex = 0, data = bins.Select(b => b.Count).ToArray() },
                new { name = "Average loan amount", type = "line", xAxisIndex = 1, yAxisIndex = 1, data = bands.Select(b => Round(b.AverageLoanAmount, 0)).ToArray() },
            },
        };
        return new ChartSpec("loan-amount", "Loan amount distribution and its relationship with monthly income", reading, option,
            bins.Count(b => b.Count > 0) + bands.Count);
    }

    /// <summary>Share of each recovery status within each category (100% stacked), so categories of different sizes compare.</summary>
    private static ChartSpec ByStatus(string id, string title, string axisName, IReadOnlyList<CategoryStatusCount> counts, int withOutcome)
    {
        var categories = counts.Select(c => c.Category).Distinct().ToList();
        var statuses = RecoveryStatusNames.Present(counts.Select(c => c.Status)).ToList();
        var totals = categories.ToDictionary(c => c, c => counts.Where(x => x.Category == c).Sum(x => x.Loans));
        double Share(string category, string status) =>
            totals[category] == 0 ? 0 : (double)counts.Where(x => x.Category == category && x.Status == status).Sum(x => x.Loans) / totals[category];
        var worst = categories.Where(c => totals[c] > 0).MaxBy(c => 1 - Share(c, "FullyRecovered"));
        var reading = worst is null
            ? "No loan has a recorded outcome yet."
            : $"Of {withOutcome:#,0} loans with an outcome, '{worst}' has the lowest share fully recovered ({Percent(Share(worst, "FullyRecovered"))} of {totals[worst]:#,0}).";
        var option = new
        {
            tooltip = Tooltip(),
            legend = Legend(),
            grid = Grid(),
            xAxis = Category(categories.Select(c => $"{c} ({totals[c]:#,0})"), axisName),
            yAxis = new { type = "value", name = "Share of loans", max = 1, axisLabel = new { formatter = "{value}" } },
            series = statuses.Select(s => (object)new
            {
                name = RecoveryStatusNames.Words(s), type = "bar", stack = "status",
                data = categories.Select(c => Round(Share(c, s))).ToArray(),
            }).ToArray(),
        };
        return new ChartSpec(id, title, reading, option, counts.Count(c => c.Loans > 0));
    }

    private static ChartSpec IncomeAndAmountByStatus(PortfolioAnalytics a)
    {
        var spreads = RecoveryStatusNames.Present(a.IncomeAndAmountByStatus.Select(s => s.Status))
            .Select(s => a.IncomeAndAmountByStatus.Single(x => x.Status == s)).ToList();
        var names = spreads.Select(s => $"{RecoveryStatusNames.Words(s.Status)} ({s.Loans:#,0})").ToArray();
        var reading = spreads.Count == 0
            ? "No loan has a recorded outcome yet."
            : "Median monthly income " + string.Join(", ", spreads.Select(s => $"{RecoveryStatusNames.Words(s.Status).ToLowerInvariant()} {Money(s.MonthlyIncome[2])}")) +
              "; median loan amount " + string.Join(", ", spreads.Select(s => $"{RecoveryStatusNames.Words(s.Status).ToLowerInvariant()} {Money(s.LoanAmount[2])}")) + ".";
        var option = new
        {
            tooltip = new { trigger = "item" },
            title = new object[]
            {
                new { text = "Monthly income", left = "2%", textStyle = new { fontSize = 13 } },
                new { text = "Loan amount", left = "52%", textStyle = new { fontSize = 13 } },
            },
            grid = new object[] { new { left = "8%", width = "38%", top = 40, bottom = 60 }, new { left = "58%", width = "38%", top = 40, bottom = 60 } },
            xAxis = new object[] { new { type = "category", gridIndex = 0, data = names }, new { type = "category", gridIndex = 1, data = names } },
            yAxis = new object[] { new { type = "value", gridIndex = 0 }, new { type = "value", gridIndex = 1 } },
            series = new object[]
            {
                new { name = "Monthly income", type = "boxplot", xAxisIndex = 0, yAxisIndex = 0, data = spreads.Select(s => s.MonthlyIncome.Select(v => Round(v, 0)).ToArray()).ToArray() },
                new { name = "Loan amount", type = "boxplot", xAxisIndex = 1, yAxisIndex = 1, data = spreads.Select(s => s.LoanAmount.Select(v => Round(v, 0)).ToArray()).ToArray() },
            },
        };
        return new ChartSpec("income-amount-vs-status", "Monthly income and loan amount vs recovery status (minimum, quartiles, maximum)", reading, option,
            spreads.Count * 2);
    }

    private static ChartSpec Segments(PortfolioAnalytics a)
    {
        var reading = a.Segments.Count == 0
            ? "No segmentation model yet."
            : string.Join("; ", a.Segments.Select(s => $"{s.Label}: {s.Borrowers:#,0} borrowers")) +
              $" (up to {a.SamplePerSegment} borrowers drawn per segment).";
        var option = new
        {
            tooltip = new { trigger = "item" },
            legend = Legend(),
            grid = Grid(),
            xAxis = new { type = "value", name = "Monthly income", nameLocation = "middle", nameGap = 30 },
            yAxis = new { type = "value", name = "Loan amount" },
            series = a.Segments.Select(s => (object)new
            {
                name = $"{s.SegmentId}. {s.Label}", type = "scatter", symbolSize = 6,
                data = s.Points.Select(p => new[] { Round(p.MonthlyIncome, 0), Round(p.LoanAmount, 0) }).ToArray(),
            }).ToArray(),
        };
        return new ChartSpec("segments", "Borrower segments on monthly income and loan amount", reading, option, a.Segments.Sum(s => s.Points.Count));
    }
}
