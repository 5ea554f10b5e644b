using LoanRecovery.Segmentation.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Segmentation.Segments;

/// <summary>
/// Fits the first model once the portfolio has arrived: at least <see cref="SegmentationOptions.MinBorrowersToFit"/>
/// borrowers known and no new loan for <see cref="SegmentationOptions.QuietPeriod"/> (an import of 500 loans arrives
/// as 500 events; fitting on the first few would be meaningless). After that, borrowers are assigned at event time
/// and models change only through a refit, so the service stops watching.
/// </summary>
public sealed partial class FirstFitService(
    IServiceScopeFactory scopes,
    DatabaseReadiness readiness,
    IOptions<SegmentationOptions> options,
    TimeProvider clock,
    ILogger<FirstFitService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitUntilMigratedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryFirstFitAsync(stoppingToken))
                    return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogCheckFailed(ex);
            }
            await Task.Delay(options.Value.FitCheckInterval, clock, stoppingToken);
        }
    }

    /// <summary>True once a model exists (fitted now or earlier).</summary>
    private async Task<bool> TryFirstFitAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<SegmentationEngine>();
        var (hasModel, borrowers, latest) = await engine.FitReadinessAsync(cancellationToken);
        if (hasModel)
            return true;
        var settings = options.Value;
        if (borrowers < settings.MinBorrowersToFit || latest is null || clock.GetUtcNow() - latest.Value < settings.QuietPeriod)
            return false;

        var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork<SegmentationDbContext>>();
        var outcome = await unitOfWork.RunAsync(ct => engine.FitAsync(settings.FitSettings(), onlyWhenNoModel: true, ct), cancellationToken);
        LogFirstFit(outcome.Status, outcome.ModelVersion, outcome.Borrowers);
        return outcome.Status is FitStatus.Fitted or FitStatus.AlreadyFitted or FitStatus.Unchanged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "First segmentation fit: {Status}, model {ModelVersion}, {Borrowers} borrowers")]
    private partial void LogFirstFit(FitStatus status, string? modelVersion, int borrowers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking whether the first segmentation fit is due failed; will check again")]
    private partial void LogCheckFailed(Exception exception);
}
