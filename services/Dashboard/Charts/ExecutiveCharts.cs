using LoanRecovery.Dashboard.Clients;
using static LoanRecovery.Dashboard.Charts.Echarts;

namespace LoanRecovery.Dashboard.Charts;

/// <summary>The executive view, from PerformanceTracking's figures of closed recovery episodes.</summary>
public static class ExecutiveCharts
{
    public static ChartSpec RecoveryOverTime(RecoveryOverTime data)
    {
        var strategies = data.Rows.Select(r => r.Strategy).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        double? Rate(string period, string strategy) => data.Rows.FirstOrDefault(r => r.Period == period && r.Strategy == strategy)?.Figures.RecoveryRate;
        double Amount(string period, string strategy) => data.Rows.Where(r => r.Period == period && r.Strategy == strategy).Sum(r => (double)r.Figures.AmountRecovered);
        var best = data.Rows.GroupBy(r => r.Strategy)
            .Select(g => (Strategy: g.Key, Rate: (double)g.Sum(r => r.Figures.FullyRecovered) / Math.Max(1, g.Sum(r => r.Figures.Episodes))))
            .MaxBy(x => x.Rate);
        var reading = data.Episodes == 0
            ? "No recovery episode has closed yet."
            : $"{data.Episodes:#,0} closed episodes over {data.Periods.Count} {data.Period}(s); the highest recovery rate so far: {best.Strategy} ({Percent(best.Rate)}).";
        var option = new
        {
            tooltip = Tooltip(),
            legend = Legend(),
            grid = Grid(),
            xAxis = Category(data.Periods, $"{data.Period} closed"),
            yAxis = new object[] { Value("Recovery rate", 0, 1), Value("Amount recovered") },
            series = strategies.SelectMany(s => new object[]
            {
                new { name = $"{s} rate", type = "line", yAxisIndex = 0, data = data.Periods.Select(p => Rate(p, s) is { } r ? (object)Round(r) : "-").ToArray() },
                new { name = $"{s} amount", type = "bar", yAxisIndex = 1, data = data.Periods.Select(p => Round(Amount(p, s), 2)).ToArray() },
            }).ToArray(),
        };
        return new ChartSpec("recovery-over-time", "Recovery rate and amount by strategy over time", reading, option, data.Rows.Count);
    }

    public static ChartSpec Effectiveness(EffectivenessView view)
    {
        var estimates = view.Bands.SelectMany(b => b.Strategies.Select(s =>
            new Estimate($"{b.Band}: {s.Key} ({s.Episodes})", s.RecoveryRate, s.RecoveryRateLow, s.RecoveryRateHigh))).ToList();
        var best = view.Bands.Select(b => (b.Band, Best: b.Strategies.MaxBy(s => s.RecoveryRate))).Where(x => x.Best is not null)
            .Select(x => $"{x.Band}: {x.Best!.Key} {Percent(x.Best.RecoveryRate)}").ToList();
        var reading = estimates.Count == 0 ? "No closed episode yet." : "Best recovery rate per band — " + string.Join("; ", best) + ". Overlapping intervals are not a proven difference.";
        return new ChartSpec("effectiveness", "Strategy effectiveness per risk band (recovery rate, Wilson 95% interval)", reading,
            IntervalBars.Option(estimates, "Recovery rate", 0, 1), estimates.Count);
    }

    public static ChartSpec Arms(RecoveryView byArm, ArmComparison? comparison)
    {
        var estimates = byArm.Groups.Select(g => new Estimate($"{g.Key} ({g.Episodes})", g.RecoveryRate, g.RecoveryRateLow, g.RecoveryRateHigh)).ToList();
        var reading = comparison?.RecoveryRatePoints is { } d
            ? $"Challenger {comparison.ChallengerVersion} minus champion {comparison.ChampionVersion}: {d.Difference:+0.0;-0.0} points (95% CI {d.Low:0.0} to {d.High:0.0})."
            : comparison?.Statement ?? (comparison?.ChallengerVersion is { } version
                ? $"Challenger {version} not compared yet: no cell where it and the champion assign differently has closed episodes of both arms (the arms' bars count every episode)."
                : "No challenger policy has closed episodes yet; the champion and the exploration arm are shown.");
        return new ChartSpec("champion-challenger", "Champion vs challenger (recovery rate by policy arm, 95% interval)", reading,
            IntervalBars.Option(estimates, "Recovery rate", 0, 1), estimates.Count);
    }

    public static ChartSpec CostToCollect(IReadOnlyList<CostView> costs)
    {
        var rows = costs.Where(c => c.Key != "all").ToList();
        var all = costs.FirstOrDefault(c => c.Key == "all");
        var reading = all?.CostToCollect is { } overall
            ? $"Overall {overall:0.000} of contact cost per unit recovered ({all.ContactCostPerLoan:#,0.00} per loan)."
            : "Nothing recovered yet.";
        var option = new
        {
            tooltip = Tooltip(),
            legend = Legend(),
            grid = Grid(),
            xAxis = Category(rows.Select(r => $"{r.Key} ({r.Episodes})")),
            yAxis = new object[] { Value("Cost per unit recovered"), Value("Contact cost per loan") },
            series = new object[]
            {
                new { name = "Cost to collect", type = "bar", data = rows.Select(r => r.CostToCollect is { } c ? (object)Round(c) : "-").ToArray() },
                new { name = "Contact cost per loan", type = "line", yAxisIndex = 1, data = rows.Select(r => Round(r.ContactCostPerLoan)).ToArray() },
            },
        };
        return new ChartSpec("cost-to-collect", "Cost to collect by strategy", reading, option, rows.Count);
    }
}
