using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LoanRecovery.Dashboard.Clients;

public sealed class IngestionClient(HttpClient http)
{
    public Task<ApiResult<LoanView>> LoanAsync(string loanId, CancellationToken ct) =>
        ServiceCalls.GetAsync<LoanView>(http, "Ingestion", $"api/loans/{ServiceCalls.Escape(loanId)}", ct);
}

public sealed class SegmentationClient(HttpClient http)
{
    public Task<ApiResult<BorrowerSegment>> BorrowerAsync(string borrowerId, CancellationToken ct) =>
        ServiceCalls.GetAsync<BorrowerSegment>(http, "Segmentation", $"api/segments/borrowers/{ServiceCalls.Escape(borrowerId)}", ct);
}

public sealed class RiskScoringClient(HttpClient http)
{
    private const string Name = "RiskScoring";

    public Task<ApiResult<List<ScoreView>>> ScoresAsync(string loanId, CancellationToken ct) =>
        ServiceCalls.GetAsync<List<ScoreView>>(http, Name, $"api/scores/{ServiceCalls.Escape(loanId)}", ct);

    public Task<ApiResult<List<ModelSummary>>> ModelsAsync(CancellationToken ct) => ServiceCalls.GetAsync<List<ModelSummary>>(http, Name, "api/models", ct);

    public Task<ApiResult<ModelDetail>> ModelAsync(string version, CancellationToken ct) =>
        ServiceCalls.GetAsync<ModelDetail>(http, Name, $"api/models/{ServiceCalls.Escape(version)}", ct);

    public Task<ApiResult<JsonElement>> RetrainAsync(CancellationToken ct) => ServiceCalls.PostAsync<JsonElement>(http, Name, "api/models/retrain", null, ct);

    public Task<ApiResult<WhatIfResponse>> WhatIfAsync(WhatIfRequest request, CancellationToken ct) =>
        ServiceCalls.PostAsync<WhatIfResponse>(http, Name, "api/scores/what-if", request, ct);

    public Task<ApiResult<PortfolioAnalytics>> PortfolioAnalyticsAsync(CancellationToken ct) =>
        ServiceCalls.GetAsync<PortfolioAnalytics>(http, Name, "api/portfolio/analytics", ct);
}

/// <summary>Work-queue filters as the API names them.</summary>
public sealed record TaskFilter(string? Strategy, string? Status, string? Assignee, DateOnly? DueBefore, string? LoanId, int Page, int PageSize)
{
    public string Query()
    {
        var query = new StringBuilder($"page={Page}&pageSize={PageSize}");
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value)); }
        Add("strategy", Strategy);
        Add("status", Status);
        Add("assignee", Assignee);
        Add("loanId", LoanId);
        // "Due by" a day includes the whole day: the API's bound is exclusive.
        Add("dueBefore", DueBefore?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
        return query.ToString();
    }
}

public sealed class StrategyAssignmentClient(HttpClient http)
{
    private const string Name = "StrategyAssignment";

    public Task<ApiResult<TaskPage>> TasksAsync(TaskFilter filter, CancellationToken ct) =>
        ServiceCalls.GetAsync<TaskPage>(http, Name, "api/tasks?" + filter.Query(), ct);

    public Task<ApiResult<TaskView>> TaskAsync(Guid taskId, CancellationToken ct) =>
        ServiceCalls.GetAsync<TaskView>(http, Name, $"api/tasks/{taskId}", ct);

    public Task<ApiResult<TaskView>> ClaimAsync(Guid taskId, ClaimRequest request, CancellationToken ct) =>
        ServiceCalls.PostAsync<TaskView>(http, Name, $"api/tasks/{taskId}/claim", request, ct);

    public Task<ApiResult<TaskView>> OutcomeAsync(Guid taskId, OutcomeRequest request, CancellationToken ct) =>
        ServiceCalls.PostAsync<TaskView>(http, Name, $"api/tasks/{taskId}/outcome", request, ct);

    public Task<ApiResult<AssignmentView>> OverrideAsync(string loanId, OverrideRequest request, CancellationToken ct) =>
        ServiceCalls.PostAsync<AssignmentView>(http, Name, $"api/loans/{ServiceCalls.Escape(loanId)}/overrides", request, ct);

    public Task<ApiResult<AssignmentView>> StrategyAsync(string loanId, CancellationToken ct) =>
        ServiceCalls.GetAsync<AssignmentView>(http, Name, $"api/loans/{ServiceCalls.Escape(loanId)}/strategy", ct);

    public Task<ApiResult<List<DecisionEntry>>> DecisionsAsync(string loanId, CancellationToken ct) =>
        ServiceCalls.GetAsync<List<DecisionEntry>>(http, Name, $"api/loans/{ServiceCalls.Escape(loanId)}/decisions", ct);
}

public sealed class PerformanceTrackingClient(HttpClient http)
{
    private const string Name = "PerformanceTracking";

    public Task<ApiResult<RecoveryView>> RecoveryAsync(string by, CancellationToken ct) =>
        ServiceCalls.GetAsync<RecoveryView>(http, Name, $"api/performance/recovery?by={ServiceCalls.Escape(by)}", ct);

    public Task<ApiResult<RecoveryOverTime>> RecoveryOverTimeAsync(string period, CancellationToken ct) =>
        ServiceCalls.GetAsync<RecoveryOverTime>(http, Name, $"api/performance/recovery/over-time?period={ServiceCalls.Escape(period)}", ct);

    public Task<ApiResult<List<CostView>>> CostToCollectAsync(CancellationToken ct) =>
        ServiceCalls.GetAsync<List<CostView>>(http, Name, "api/performance/cost-to-collect", ct);

    public Task<ApiResult<EffectivenessView>> EffectivenessAsync(CancellationToken ct) =>
        ServiceCalls.GetAsync<EffectivenessView>(http, Name, "api/performance/effectiveness", ct);

    public Task<ApiResult<ArmComparison>> ChampionChallengerAsync(CancellationToken ct) =>
        ServiceCalls.GetAsync<ArmComparison>(http, Name, "api/performance/champion-challenger", ct);

    public Task<ApiResult<SuggestionsView>> SuggestionsAsync(CancellationToken ct) =>
        ServiceCalls.GetAsync<SuggestionsView>(http, Name, "api/performance/suggestions", ct);

    public Task<ApiResult<DriftReport>> DriftAsync(CancellationToken ct) => ServiceCalls.GetAsync<DriftReport>(http, Name, "api/performance/drift", ct);
}
