using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Bench.Pipeline;

public static class ChampionModel
{
    /// <summary>
    /// A first model, as a new installation gets one: a simulated lender's history of <paramref name="historyLoans"/> loans
    /// imported as CSV through Ingestion, whose outcomes RiskScoring cold-starts from; returns the champion's description.
    /// Scoring then runs the full path (calibrated model, TreeSHAP, reasons) and StrategyAssignment decides by policy.
    /// </summary>
    public static async Task<string> ColdStartAsync(HttpClient ingestion, HttpClient risk, SimulationConfig config, int historyLoans, CancellationToken ct)
    {
        var history = PortfolioCsv.Write(PortfolioCsv.History(config, PortfolioGenerator.Generate(config, historyLoans, 3), 3));
        (await ingestion.PostAsync("/api/imports", new StringContent(history, Encoding.UTF8, "text/csv"), ct)).EnsureSuccessStatusCode();
        return await WaitForAsync(risk, TimeSpan.FromMinutes(5), ct);
    }

    /// <summary>The loan's first instalment of the simulated portfolio, not paid: the loan falls behind, so it is scored and gets a strategy.</summary>
    public static (string Id, object Body) MissedFirstPayment(SimulationConfig config, SimLoan loan)
    {
        var start = config.Portfolio.StartDate;
        var due = new DateOnly(start.Year, start.Month, loan.DueDay);
        var payment = new CoreBankingPayment
        {
            PaymentId = $"{loan.LoanId}-{due:yyyy-MM}", LoanId = loan.LoanId, DueDate = due, AmountDue = loan.MonthlyEmi, AmountPaid = 0, PaidOn = null,
        };
        return (payment.PaymentId, payment);
    }

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
