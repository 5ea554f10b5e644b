using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

public sealed class AnalyticsModel(RiskScoringClient risk) : PageModel
{
    public PortfolioAnalytics? Analytics { get; private set; }
    public IReadOnlyList<ChartSpec> Charts { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await risk.PortfolioAnalyticsAsync(ct);
        if (!result.Succeeded)
        {
            Problem = result.Message;
            return;
        }
        Analytics = result.Value;
        Charts = AnalyticsCharts.Build(Analytics!);
    }
}
