using LoanRecovery.RiskScoring.Endpoints;

namespace LoanRecovery.RiskScoring.Domain;

/// <summary>Field-by-field checks of the what-if form, in the words shown next to each field.</summary>
public static class WhatIfValidation
{
    public static Dictionary<string, string[]> Validate(WhatIfRequest r)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string reason) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(reason);
        void Required<T>(T? value, string field) where T : struct { if (value is null) Add(field, "is required"); }
        void Between(decimal? value, string field, decimal min, decimal max)
        {
            if (value is null) Add(field, "is required");
            else if (value < min || value > max) Add(field, $"must be between {min} and {max} (was {value})");
        }
        void Category(string? value, string field, string feature)
        {
            var spec = RiskFeatures.Schema[RiskFeatures.Schema.IndexOf(feature)];
            if (value is not null && spec.CategoryIndex(value) < 0)
                Add(field, $"'{value}' is not one of: {string.Join(", ", spec.Categories!)}");
        }

        Between(r.Age, "age", 18, 120);
        Required(r.MonthlyIncome, "monthlyIncome");
        if (r.MonthlyIncome < 0) Add("monthlyIncome", "must not be negative");
        Between(r.LoanAmount, "loanAmount", 0.01m, decimal.MaxValue);
        Between(r.LoanTenureMonths, "loanTenureMonths", 1, 600);
        Between(r.InterestRate, "interestRate", 0, 100);
        Between(r.OutstandingLoanAmount, "outstandingLoanAmount", 0, decimal.MaxValue);
        Between(r.MonthlyEmi, "monthlyEmi", 0, decimal.MaxValue);
        Between(r.MissedPayments, "missedPayments", 0, 1000);
        Between(r.DaysPastDue, "daysPastDue", 0, 10_000);
        if (r.NumDependents is < 0 or > 30) Add("numDependents", "must be between 0 and 30");
        if (r.CollateralValue < 0) Add("collateralValue", "must not be negative");
        if (r.EmploymentType is null) Add("employmentType", "is required");
        if (r.LoanType is null) Add("loanType", "is required");
        Category(r.EmploymentType, "employmentType", RiskFeatures.EmploymentType);
        Category(r.LoanType, "loanType", RiskFeatures.LoanType);
        Category(r.PaymentHistory, "paymentHistory", RiskFeatures.PaymentHistory);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
