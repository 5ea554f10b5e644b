using System.Text;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>Builds portfolio files in the seed file's 21-column schema.</summary>
public static class PortfolioCsv
{
    public const string Header =
        "Borrower_ID,Age,Gender,Employment_Type,Monthly_Income,Num_Dependents,Loan_ID,Loan_Amount,Loan_Tenure,Interest_Rate,Loan_Type,Collateral_Value,Outstanding_Loan_Amount,Monthly_EMI,Payment_History,Num_Missed_Payments,Days_Past_Due,Recovery_Status,Collection_Attempts,Collection_Method,Legal_Action_Taken";

    public static string Row(int n, string? loanId = null, string income = "52000", string loanType = "Personal",
        string amount = "250000", string missed = "1", string dpd = "30") =>
        $"BRW_{n},41,Female,Salaried,{income},2,{loanId ?? "LN_" + n},{amount},36,11.5,{loanType},0,180000.25,8240.5,Delayed,{missed},{dpd},Partially Recovered,3,Calls,No";

    public static string File(params string[] rows)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var row in rows)
            sb.Append(row).Append('\n');
        return sb.ToString();
    }
}
