using System.Net.Http.Json;

namespace LoanRecovery.RiskScoring.Training;

public sealed record DriftSignal(bool Flagged, string? ModelVersion, string? Statement);

/// <summary>
/// Reads PerformanceTracking's drift report (<c>GET /api/performance/drift</c>) over HTTP; drift is computed there, on the
/// loans it has scored and followed. Without a configured address there is no drift signal.
/// </summary>
public sealed partial class DriftClient(HttpClient http, ILogger<DriftClient> logger)
{
    private sealed record DriftReport(string? ModelVersion, bool Computed, bool AnyFlagged, string? Statement);

    public async Task<DriftSignal> ReadAsync(CancellationToken cancellationToken)
    {
        if (http.BaseAddress is null)
            return new DriftSignal(false, null, null);
        try
        {
            var report = await http.GetFromJsonAsync<DriftReport>("api/performance/drift", cancellationToken);
            return report is { Computed: true, AnyFlagged: true }
                ? new DriftSignal(true, report.ModelVersion, report.Statement)
                : new DriftSignal(false, report?.ModelVersion, report?.Statement);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // PerformanceTracking being away, slow (the client's timeout) or answering nonsense must not stop retraining
            // on outcomes or age.
            LogUnavailable(ex, http.BaseAddress);
            return new DriftSignal(false, null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift report from {Address} unavailable; retraining decides without it")]
    private partial void LogUnavailable(Exception exception, Uri address);
}
