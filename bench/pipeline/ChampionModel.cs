using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.Bench.Pipeline;

public static class ChampionModel
{
    /// <summary>Waits until RiskScoring has a champion model (trained from the imported history) and describes it.</summary>
    public static async Task<string> WaitForAsync(HttpClient risk, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                var models = await risk.GetFromJsonAsync<JsonElement>("/api/models", ct);
                foreach (var m in models.EnumerateArray())
                    if (m.GetProperty("isChampion").GetBoolean())
                        return $"{m.GetProperty("version").GetString()} (usable {m.GetProperty("usable").GetBoolean()}, AUC {m.GetProperty("auc").GetDouble():0.000}, {m.GetProperty("trainingRows").GetInt32()} rows)";
            }
            catch (HttpRequestException)
            {
                // On a loaded machine a request can fail (a database connection that timed out): asked again below.
            }
            await Task.Delay(1000, ct);
        }
        throw new TimeoutException($"RiskScoring trained no model in {timeout.TotalSeconds:0} s");
    }
}
