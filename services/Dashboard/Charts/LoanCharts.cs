using LoanRecovery.Dashboard.Clients;
using static LoanRecovery.Dashboard.Charts.Echarts;

namespace LoanRecovery.Dashboard.Charts;

public static class LoanCharts
{
    /// <summary>Each instalment: amount due and paid (bars), days past due after it (line, right axis).</summary>
    public static ChartSpec PaymentTimeline(LoanView loan)
    {
        var payments = loan.Payments;
        var missed = payments.Count(p => p.AmountPaid < p.AmountDue);
        var reading = payments.Count == 0
            ? "No instalment recorded yet."
            : $"{payments.Count} instalments from {payments[0].DueDate:yyyy-MM} to {payments[^1].DueDate:yyyy-MM}; {missed} paid short or not at all; " +
              $"{loan.Delinquency.DaysPastDue} days past due now.";
        var option = new
        {
            tooltip = Tooltip(),
            legend = Legend(),
            grid = Grid(),
            xAxis = Category(payments.Select(p => p.DueDate.ToString("yyyy-MM-dd"))),
            yAxis = new object[] { Value("Amount"), Value("Days past due") },
            series = new object[]
            {
                new { name = "Amount due", type = "bar", data = payments.Select(p => Round(p.AmountDue)).ToArray() },
                new { name = "Amount paid", type = "bar", data = payments.Select(p => Round(p.AmountPaid)).ToArray() },
                new { name = "Days past due", type = "line", yAxisIndex = 1, data = payments.Select(p => p.DaysPastDue).ToArray() },
            },
        };
        return new ChartSpec("payment-timeline", "Payment timeline", reading, option, payments.Count);
    }

    /// <summary>The reasons of a score as contributions to the log-odds of not being fully recovered: right raises the risk.</summary>
    public static ChartSpec Reasons(string id, IReadOnlyList<ReasonCode> reasons)
    {
        var ordered = reasons.OrderBy(r => Math.Abs(r.Contribution)).ToList();
        var top = reasons.MaxBy(r => Math.Abs(r.Contribution));
        var reading = top is null ? "No reason given." : $"The largest contribution: {top.Sentence}";
        var option = new
        {
            tooltip = Tooltip(),
            grid = Grid(),
            xAxis = Value("Contribution to the risk (log-odds)"),
            yAxis = Category(ordered.Select(r => $"{r.Feature} = {r.Value}")),
            series = new object[]
            {
                new
                {
                    name = "Contribution", type = "bar",
                    data = ordered.Select(r => new { value = Round(r.Contribution), itemStyle = new { color = r.Contribution >= 0 ? "#a4161a" : "#2b8a3e" } }).ToArray(),
                },
            },
        };
        return new ChartSpec(id, "Reasons of the score (contributions)", reading, option, reasons.Count);
    }
}
