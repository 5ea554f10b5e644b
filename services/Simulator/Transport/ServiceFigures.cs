using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.Simulator.Transport;

/// <summary>
/// What the running services report about a run, read from their HTTP APIs after the last month: models promoted and
/// the champion's out-of-time AUC (RiskScoring), closed episodes and policy promotions (PerformanceTracking). A figure a
/// service cannot be reached for, or does not report, is null.
/// </summary>
public sealed record ServiceFigureSet(int? Outcomes, int? ModelsPromoted, double? FinalModelAuc, string? ChampionModel, int? PoliciesPromoted, int? Scored = null)
{
    public static readonly ServiceFigureSet None = new(null, null, null, null, null);

    public static async Task<ServiceFigureSet> ReadAsync(Uri? riskUrl, Uri? performanceUrl, CancellationToken cancellationToken, string? bearerToken = null)
    {
        int? modelsPromoted = null, outcomes = null, policiesPromoted = null, scored = null;
        double? auc = null;
        string? champion = null;
        using var http = ServiceHttp.Create(null, bearerToken);
        if (riskUrl is not null && await GetAsync(http, new Uri(riskUrl, "/api/models"), cancellationToken) is { ValueKind: JsonValueKind.Array } models)
        {
            modelsPromoted = models.EnumerateArray().Count(m => m.TryGetProperty("promotedAt", out var p) && p.ValueKind == JsonValueKind.String);
            foreach (var model in models.EnumerateArray().Where(m => m.GetProperty("isChampion").GetBoolean()))
            {
                champion = model.GetProperty("version").GetString();
                // Out-of-time AUC when the champion won a retraining decision; the in-time holdout AUC for the cold start.
                auc = model.TryGetProperty("decision", out var d) && d.ValueKind == JsonValueKind.Object && d.GetProperty("trigger").GetString() != "cold start"
                    ? d.GetProperty("challengerAuc").GetDouble()
                    : model.GetProperty("auc").GetDouble();
            }
        }
        if (riskUrl is not null && await GetAsync(http, new Uri(riskUrl, "/api/scores"), cancellationToken) is { } counts
            && counts.TryGetProperty("scores", out var scores))
            scored = scores.GetInt32();
        if (performanceUrl is not null)
        {
            if (await GetAsync(http, new Uri(performanceUrl, "/api/performance/recovery"), cancellationToken) is { } recovery
                && recovery.TryGetProperty("episodes", out var episodes))
                outcomes = episodes.GetInt32();
            if (await GetAsync(http, new Uri(performanceUrl, "/api/performance/policies"), cancellationToken) is { } policies
                && policies.TryGetProperty("decisions", out var decisions))
                policiesPromoted = decisions.EnumerateArray().Count(d => d.TryGetProperty("promoted", out var p) && p.ValueKind == JsonValueKind.True);
        }
        return new ServiceFigureSet(outcomes, modelsPromoted, auc is { } a ? Math.Round(a, 4) : null, champion, policiesPromoted, scored);
    }

    private static async Task<JsonElement?> GetAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetFromJsonAsync<JsonElement>(uri, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }
    }
}
