using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

/// <summary>The manual entry form: a borrower's and loan's details scored by the champion model without storing anything.</summary>
public sealed class WhatIfInput
{
    public int? Age { get; set; }
    public string? EmploymentType { get; set; }
    public decimal? MonthlyIncome { get; set; }
    public int? NumDependents { get; set; }
    public decimal? LoanAmount { get; set; }
    public int? LoanTenureMonths { get; set; }
    public decimal? InterestRate { get; set; }
    public string? LoanType { get; set; }
    public decimal? CollateralValue { get; set; }
    public decimal? OutstandingLoanAmount { get; set; }
    public decimal? MonthlyEmi { get; set; }
    public string? PaymentHistory { get; set; }
    public int? MissedPayments { get; set; }
    public int? DaysPastDue { get; set; }

    public static readonly string[] Fields =
    [
        nameof(Age), nameof(EmploymentType), nameof(MonthlyIncome), nameof(NumDependents), nameof(LoanAmount), nameof(LoanTenureMonths),
        nameof(InterestRate), nameof(LoanType), nameof(CollateralValue), nameof(OutstandingLoanAmount), nameof(MonthlyEmi), nameof(PaymentHistory),
        nameof(MissedPayments), nameof(DaysPastDue),
    ];

    public WhatIfRequest ToRequest() => new(Age, Blank(EmploymentType), MonthlyIncome, NumDependents, LoanAmount, LoanTenureMonths, InterestRate,
        Blank(LoanType), CollateralValue, OutstandingLoanAmount, MonthlyEmi, Blank(PaymentHistory), MissedPayments, DaysPastDue);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>For analysts and executives: the service scores what-if details for the analyst role, which officers do not have.</summary>
[Authorize(Roles = $"{nameof(DashboardRole.Analyst)},{nameof(DashboardRole.Executive)}")]
public sealed class WhatIfModel(RiskScoringClient risk) : PageModel
{
    [BindProperty] public WhatIfInput Input { get; set; } = new();

    public WhatIfResponse? Result { get; private set; }
    public ChartSpec? ReasonsChart { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Fields the browser sent but that do not read as numbers are already named by model binding; the API names the rest.
        if (!ModelState.IsValid)
            return Page();
        var result = await risk.WhatIfAsync(Input.ToRequest(), ct);
        if (!result.Succeeded)
        {
            ApiErrors.AddTo(ModelState, nameof(Input), result, WhatIfInput.Fields);
            return Page();
        }
        Result = result.Value;
        ReasonsChart = LoanCharts.Reasons("whatif-reasons", Result!.Reasons);
        return Page();
    }
}
