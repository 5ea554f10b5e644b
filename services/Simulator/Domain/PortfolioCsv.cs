using System.Globalization;
using System.Text;
using LoanRecovery.Contracts;

namespace LoanRecovery.Simulator.Domain;

/// <summary>
/// The portfolio in the seed file's 21-column schema (<c>loan-recovery.csv</c>): each loan as it stood when the recovery
/// decision was made, with the outcome columns filled from what followed in a simulated historical period.
/// </summary>
public static class PortfolioCsv
{
    public static readonly string[] Header =
    [
        "Borrower_ID", "Age", "Gender", "Employment_Type", "Monthly_Income", "Num_Dependents", "Loan_ID", "Loan_Amount", "Loan_Tenure",
        "Interest_Rate", "Loan_Type", "Collateral_Value", "Outstanding_Loan_Amount", "Monthly_EMI", "Payment_History",
        "Num_Missed_Payments", "Days_Past_Due", "Recovery_Status", "Collection_Attempts", "Collection_Method", "Legal_Action_Taken",
    ];

    /// <summary>One row of the written file, typed.</summary>
    public sealed record Row(SimLoan Loan, decimal Outstanding, string PaymentHistory, int MissedPayments, int DaysPastDue,
        string RecoveryStatus, int CollectionAttempts, string CollectionMethod, bool LegalActionTaken)
    {
        public string[] Cells() =>
        [
            Loan.BorrowerId, I(Loan.Age), Loan.Gender, Loan.EmploymentType, M(Loan.MonthlyIncome), I(Loan.NumDependents), Loan.LoanId,
            M(Loan.LoanAmount), I(Loan.LoanTenureMonths), M(Loan.InterestRate), Loan.LoanType, M(Loan.CollateralValue), M(Outstanding),
            M(Loan.MonthlyEmi), PaymentHistory, I(MissedPayments), I(DaysPastDue), RecoveryStatus, I(CollectionAttempts),
            CollectionMethod, LegalActionTaken ? "Yes" : "No",
        ];
    }

    /// <summary>
    /// Simulates the historical period under the lender's past practice and returns one row per loan. The delinquency
    /// columns (outstanding, payment history, missed payments, days past due) are the loan as it stood when it first fell
    /// behind — when the recovery decision was made — and the outcome and collection columns are what followed. Writing
    /// the end of the period instead would leak the outcome into the features: a loan still in arrears at the end is by
    /// definition not fully recovered.
    /// </summary>
    public static IReadOnlyList<Row> History(SimulationConfig config, IReadOnlyList<SimLoan> loans, int seed)
    {
        var sim = new PortfolioSimulation(config, loans, seed, config.History.Months, new HistoricalPolicy(config, seed));
        var atDecision = new Delinquency?[loans.Count];
        for (var month = 0; month < sim.Months; month++)
        {
            sim.Payments(month);
            for (var i = 0; i < loans.Count; i++)
                if (atDecision[i] is null && sim.States[i].FirstDelinquentMonth == month)
                    atDecision[i] = Delinquency.Of(sim.States[i]);
            sim.AssignStrategies(month);
        }
        return loans.Select(l => ToRow(config, l, sim.States[l.Index], atDecision[l.Index] ?? Delinquency.Of(sim.States[l.Index]))).ToArray();
    }

    /// <summary>The delinquency columns of a loan at one moment.</summary>
    private sealed record Delinquency(decimal Outstanding, string PaymentHistory, int MissedPayments, int DaysPastDue)
    {
        public static Delinquency Of(LoanState s) =>
            new(s.Outstanding, s.Arrears > 0 ? "Missed" : s.Late > 0 ? "Delayed" : "On-Time", s.Missed, s.DaysPastDue);
    }

    private static Row ToRow(SimulationConfig config, SimLoan loan, LoanState s, Delinquency atDecision)
    {
        string status;
        if (!s.EverDelinquent || s.Arrears <= 0)
            status = "Fully Recovered";
        else
            status = s.Owed > 0 && (double)(Math.Min(s.Collected, s.Owed) / s.Owed) < config.History.WrittenOffBelow
                ? "Written Off" : "Partially Recovered";
        var method = s.LastStrategy switch
        {
            RecoveryStrategy.LegalAction => "Legal Notice",
            RecoveryStrategy.Settlement => "Settlement Offer",
            _ => "Calls",
        };
        return new Row(loan, atDecision.Outstanding, atDecision.PaymentHistory, atDecision.MissedPayments, atDecision.DaysPastDue, status,
            s.StrategyMonths, method, s.StrategiesUsed.Contains(RecoveryStrategy.LegalAction));
    }

    public static string Write(IEnumerable<Row> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header)).Append('\n');
        foreach (var row in rows)
            text.Append(string.Join(',', row.Cells().Select(Quote))).Append('\n');
        return text.ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string M(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
