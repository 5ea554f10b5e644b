using System.Diagnostics.Metrics;
using LoanRecovery.PerformanceTracking.Domain;
using Microsoft.Extensions.Options;

namespace LoanRecovery.PerformanceTracking.Tracking;

/// <summary>
/// The drift figures as OpenTelemetry gauges on the meter <c>LoanRecovery.PerformanceTracking</c>:
/// <c>loanrecovery.performance.drift.psi</c> (tags <c>variable</c>, <c>model_version</c>) and
/// <c>loanrecovery.performance.drift.flagged</c> (1 when any variable's PSI is above the threshold). They show the last
/// computation (every <c>DriftRefreshInterval</c>, and every <c>GET /api/performance/drift</c>); the API recomputes from the tables.
/// </summary>
public sealed class DriftMonitor : IDisposable
{
    public const string MeterName = "LoanRecovery.PerformanceTracking";
    private readonly Meter _meter;
    private volatile DriftReport? _latest;

    public DriftMonitor()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge("loanrecovery.performance.drift.psi", ObservePsi, unit: "{psi}",
            description: "Population stability index of the score and of each model feature, last period against the model's first scored loans");
        _meter.CreateObservableGauge("loanrecovery.performance.drift.flagged", ObserveFlag, unit: "{flag}",
            description: "1 when any PSI is above the drift threshold");
    }

    public DriftReport? Latest => _latest;

    public void Update(DriftReport report) => _latest = report;

    private IEnumerable<Measurement<double>> ObservePsi()
    {
        var report = _latest;
        if (report is null || !report.Computed) yield break;
        foreach (var item in report.Items)
            if (item.Psi is { } psi)
                yield return new Measurement<double>(psi, new KeyValuePair<string, object?>("variable", item.Variable),
                    new KeyValuePair<string, object?>("model_version", report.ModelVersion));
    }

    private IEnumerable<Measurement<int>> ObserveFlag()
    {
        var report = _latest;
        if (report is null || !report.Computed) yield break;
        yield return new Measurement<int>(report.AnyFlagged ? 1 : 0, new KeyValuePair<string, object?>("model_version", report.ModelVersion));
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Recomputes the drift gauges from the tables on a schedule.</summary>
public sealed partial class DriftRefresher(IServiceScopeFactory scopes, DriftMonitor monitor, IOptions<PerformanceTrackingOptions> options, TimeProvider clock,
    ILogger<DriftRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                monitor.Update(await scope.ServiceProvider.GetRequiredService<PerformanceQueries>().DriftAsync(stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
            try
            {
                await Task.Delay(options.Value.DriftRefreshInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift refresh failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
