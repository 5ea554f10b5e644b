using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

/// <summary>One loan across the services: details and payments (Ingestion), segment, scores, strategy and every decision.</summary>
public sealed class LoanModel(IngestionClient ingestion, SegmentationClient segmentation, RiskScoringClient risk, StrategyAssignmentClient strategy)
    : PageModel
{
    [BindProperty(SupportsGet = true)] public string? LoanId { get; set; }

    public LoanView? Loan { get; private set; }
    public BorrowerSegment? Segment { get; private set; }
    public IReadOnlyList<ScoreView> Scores { get; private set; } = [];
    public ScoreView? CurrentScore => Scores.Count == 0 ? null : Scores[^1];
    public AssignmentView? Strategy { get; private set; }
    public IReadOnlyList<DecisionEntry> Decisions { get; private set; } = [];
    public ChartSpec? Timeline { get; private set; }
    public ChartSpec? ReasonsChart { get; private set; }
    public List<string> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(LoanId))
            return Page();
        LoanId = LoanId.Trim();
        var loanTask = ingestion.LoanAsync(LoanId, ct);
        var scoresTask = risk.ScoresAsync(LoanId, ct);
        var strategyTask = strategy.StrategyAsync(LoanId, ct);
        var decisionsTask = strategy.DecisionsAsync(LoanId, ct);
        var loan = await loanTask;
        if (!loan.Succeeded)
        {
            Problems.Add(loan.Status == System.Net.HttpStatusCode.NotFound ? $"Ingestion knows no loan '{LoanId}'." : loan.Message);
            return Page();
        }
        Loan = loan.Value;
        Timeline = LoanCharts.PaymentTimeline(Loan!);
        var segment = await segmentation.BorrowerAsync(Loan!.Borrower.BorrowerId, ct);
        Segment = segment.Value;

        // A loan that was never delinquent has no score, strategy or decision: the services answer 404, which is not a problem here.
        Scores = Expected(await scoresTask) ?? [];
        Strategy = Expected(await strategyTask);
        Decisions = Expected(await decisionsTask) ?? [];
        if (CurrentScore is { } score)
            ReasonsChart = LoanCharts.Reasons("score-reasons", score.Reasons);
        return Page();
    }

    private T? Expected<T>(ApiResult<T> result) where T : class
    {
        if (!result.Succeeded && result.Status != System.Net.HttpStatusCode.NotFound)
            Problems.Add(result.Message);
        return result.Value;
    }

    /// <summary>The model or policy version a decision came from, read from its details.</summary>
    public static string? VersionOf(DecisionEntry entry, string property) =>
        entry.Details.ValueKind == System.Text.Json.JsonValueKind.Object && entry.Details.TryGetProperty(property, out var value) &&
        value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
