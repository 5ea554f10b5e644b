using System.Text.Json;
using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using LoanRecovery.Dashboard.SignIn;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

public sealed class ModelsModel(RiskScoringClient risk, PerformanceTrackingClient performance) : PageModel
{
    public IReadOnlyList<ModelSummary> Models { get; private set; } = [];
    public IReadOnlyList<ChartSpec> Charts { get; private set; } = [];
    public List<string> Problems { get; } = [];
    public bool CanRetrain { get; private set; }
    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        CanRetrain = User.IsInRole(nameof(DashboardRole.Analyst));
        var drift = performance.DriftAsync(ct);
        var models = await risk.ModelsAsync(ct);
        if (!models.Succeeded) Problems.Add(models.Message);
        Models = models.Value ?? [];
        var charts = new List<ChartSpec>();
        if (Models.Count > 0) charts.Add(ModelCharts.Auc(Models));
        if (Models.FirstOrDefault(m => m.IsChampion) is { } champion)
        {
            var detail = await risk.ModelAsync(champion.Version, ct);
            if (detail.Succeeded)
            {
                charts.Add(ModelCharts.Calibration(detail.Value!));
                charts.Add(ModelCharts.Importance(detail.Value!));
            }
            else Problems.Add(detail.Message);
        }
        var driftResult = await drift;
        if (driftResult.Succeeded) charts.Add(ModelCharts.Drift(driftResult.Value!));
        else Problems.Add(driftResult.Message);
        Charts = charts;
    }

    /// <summary>Analysts only, on the server: the service would accept an executive's token (its role is analyst too).</summary>
    [ForRoles(DashboardRole.Analyst)]
    public async Task<IActionResult> OnPostRetrainAsync(CancellationToken ct)
    {
        var result = await risk.RetrainAsync(ct);
        Notice = result.Succeeded
            ? "Retraining finished: " + Describe(result.Value)
            : "Retraining did not run. " + result.Message;
        return RedirectToPage();
    }

    /// <summary>The Usable column: yes, no, or no with when and why the champion was withdrawn.</summary>
    public static string UsableText(ModelSummary model) =>
        model.Usable ? "yes"
        : model.WithdrawnAt is { } withdrawnAt ? $"no: withdrawn {withdrawnAt:yyyy-MM-dd HH:mm}. {model.WithdrawnReason}"
        : "no";

    /// <summary>The notice after a retraining: RiskScoring's reason, and the champion's withdrawal when there was one.</summary>
    public static string Describe(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("reason", out var reason))
            return "see the decisions below.";
        return result.TryGetProperty("championWithdrawn", out var withdrawn) && withdrawn.ValueKind == JsonValueKind.String
            ? $"{reason} The champion: {withdrawn}"
            : reason.ToString();
    }
}
