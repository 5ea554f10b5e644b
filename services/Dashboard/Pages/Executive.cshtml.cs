using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.Pages;

public sealed class ExecutiveModel(PerformanceTrackingClient performance, IOptions<DashboardOptions> options) : PageModel
{
    public IReadOnlyList<ChartSpec> Charts { get; private set; } = [];
    public SuggestionsView? Suggestions { get; private set; }
    public RecoveryView? ByStrategy { get; private set; }
    public List<string> Problems { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var overTime = performance.RecoveryOverTimeAsync(options.Value.RecoveryPeriod, ct);
        var byStrategy = performance.RecoveryAsync("strategy", ct);
        var effectiveness = performance.EffectivenessAsync(ct);
        var byArm = performance.RecoveryAsync("arm", ct);
        var arms = performance.ChampionChallengerAsync(ct);
        var costs = performance.CostToCollectAsync(ct);
        var suggestions = performance.SuggestionsAsync(ct);

        var charts = new List<ChartSpec>();
        if (Use(await overTime) is { } o) charts.Add(ExecutiveCharts.RecoveryOverTime(o));
        if (Use(await effectiveness) is { } e) charts.Add(ExecutiveCharts.Effectiveness(e));
        if (Use(await byArm) is { } a) charts.Add(ExecutiveCharts.Arms(a, Use(await arms)));
        if (Use(await costs) is { } c) charts.Add(ExecutiveCharts.CostToCollect(c));
        Charts = charts;
        ByStrategy = Use(await byStrategy);
        Suggestions = Use(await suggestions);
    }

    private T? Use<T>(ApiResult<T> result) where T : class
    {
        if (!result.Succeeded)
            Problems.Add(result.Message);
        return result.Value;
    }
}
