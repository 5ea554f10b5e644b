using static LoanRecovery.Dashboard.Charts.Echarts;

namespace LoanRecovery.Dashboard.Charts;

public sealed record Estimate(string Label, double Value, double Low, double High);

/// <summary>
/// Estimates with their 95% intervals: the interval drawn as a floating bar (an invisible bar up to the low end stacked under a
/// pale bar from low to high) and the estimate as a point, since ECharts has no error-bar series.
/// </summary>
public static class IntervalBars
{
    public static object Option(IReadOnlyList<Estimate> estimates, string valueName, double? min = null, double? max = null) => new
    {
        tooltip = new { trigger = "axis" },
        legend = new { top = 0, data = new[] { "Estimate", "95% interval" } },
        grid = Grid(),
        xAxis = Category(estimates.Select(e => e.Label)),
        yAxis = Value(valueName, min, max),
        series = new object[]
        {
            new { name = "interval base", type = "bar", stack = "ci", silent = true, itemStyle = new { color = "transparent" }, tooltip = new { show = false },
                data = estimates.Select(e => Round(e.Low)).ToArray() },
            new { name = "95% interval", type = "bar", stack = "ci", barWidth = 18, itemStyle = new { color = "rgba(11,92,173,0.25)" },
                data = estimates.Select(e => Round(e.High - e.Low)).ToArray() },
            new { name = "Estimate", type = "scatter", symbolSize = 12, itemStyle = new { color = "#0b5cad" }, data = estimates.Select(e => Round(e.Value)).ToArray() },
        },
    };
}
