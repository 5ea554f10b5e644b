using System.Globalization;
using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;

namespace LoanRecovery.Ingestion.Import;

/// <summary>The columns of the lender's portfolio file (the schema of <c>loan-recovery.csv</c>).</summary>
public static class PortfolioColumns
{
    public const string BorrowerId = "Borrower_ID", Age = "Age", Gender = "Gender", EmploymentType = "Employment_Type",
        MonthlyIncome = "Monthly_Income", NumDependents = "Num_Dependents", LoanId = "Loan_ID", LoanAmount = "Loan_Amount",
        LoanTenure = "Loan_Tenure", InterestRate = "Interest_Rate", LoanType = "Loan_Type", CollateralValue = "Collateral_Value",
        OutstandingLoanAmount = "Outstanding_Loan_Amount", MonthlyEmi = "Monthly_EMI", PaymentHistory = "Payment_History",
        NumMissedPayments = "Num_Missed_Payments", DaysPastDue = "Days_Past_Due", RecoveryStatus = "Recovery_Status",
        CollectionAttempts = "Collection_Attempts", CollectionMethod = "Collection_Method", LegalActionTaken = "Legal_Action_Taken";

    /// <summary>Columns a portfolio file must have.</summary>
    public static readonly string[] Required =
    [
        BorrowerId, Age, Gender, EmploymentType, MonthlyIncome, NumDependents, LoanId, LoanAmount, LoanTenure, InterestRate,
        LoanType, CollateralValue, OutstandingLoanAmount, MonthlyEmi,
    ];

    /// <summary>Current delinquency; 0 / none when absent.</summary>
    public static readonly string[] Delinquency = [PaymentHistory, NumMissedPayments, DaysPastDue];

    /// <summary>The lender's recorded recovery outcome: stored as history, never used as a risk feature. All or none.</summary>
    public static readonly string[] HistoricalOutcome = [RecoveryStatus, CollectionAttempts, CollectionMethod, LegalActionTaken];

    /// <summary>The contract field each loan column is validated as, so errors name the file's column.</summary>
    public static readonly IReadOnlyDictionary<string, string> ColumnOfField = new Dictionary<string, string>
    {
        ["loanId"] = LoanId, ["borrowerId"] = BorrowerId, ["age"] = Age, ["gender"] = Gender, ["employmentType"] = EmploymentType,
        ["monthlyIncome"] = MonthlyIncome, ["numDependents"] = NumDependents, ["loanAmount"] = LoanAmount,
        ["loanTenureMonths"] = LoanTenure, ["interestRate"] = InterestRate, ["loanType"] = LoanType,
        ["collateralValue"] = CollateralValue, ["outstandingLoanAmount"] = OutstandingLoanAmount, ["monthlyEmi"] = MonthlyEmi,
    };
}

/// <summary>The recovery outcome a portfolio row records.</summary>
public sealed record HistoricalOutcomeCells(string RecoveryStatus, int CollectionAttempts, string CollectionMethod, bool LegalActionTaken)
{
    public RecoveryStatus Status => RecoveryStatus switch
    {
        "Fully Recovered" => Contracts.RecoveryStatus.FullyRecovered,
        "Partially Recovered" => Contracts.RecoveryStatus.PartiallyRecovered,
        _ => Contracts.RecoveryStatus.WrittenOff,
    };
}

/// <summary>One valid portfolio row.</summary>
public sealed record PortfolioRow(int RowNumber, ValidLoan Loan, string? PaymentHistory, DelinquencyState Delinquency, HistoricalOutcomeCells? Outcome);

/// <summary>
/// Turns one CSV record into a <see cref="PortfolioRow"/> or the list of what is wrong with it, each error naming
/// the column. The loan fields go through the same <see cref="CoreBankingRules"/> as AMQP and HTTP.
/// </summary>
public sealed class PortfolioRowParser
{
    private readonly Dictionary<string, int> _index;
    private readonly TextLimits _limits;
    private readonly DateOnly _asOf;
    private readonly bool _hasOutcome;
    private readonly int _columnCount;

    private PortfolioRowParser(Dictionary<string, int> index, int columnCount, TextLimits limits, DateOnly asOf)
    {
        _index = index;
        _columnCount = columnCount;
        _limits = limits;
        _asOf = asOf;
        _hasOutcome = PortfolioColumns.HistoricalOutcome.All(index.ContainsKey);
    }

    /// <summary>Checks the header; a file without a required column, or with only part of the outcome columns, is refused whole.</summary>
    public static PortfolioRowParser FromHeader(string[]? header, TextLimits limits, DateOnly asOf)
    {
        if (header is null || header.Length == 0)
            throw new ImportFileException("The file is empty: expected a header row naming the portfolio columns.");
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (!index.TryAdd(name, i))
                throw new ImportFileException($"The header names column '{name}' twice.");
        }
        var missing = PortfolioColumns.Required.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new ImportFileException($"The header lacks required column(s): {string.Join(", ", missing)}.");
        var outcomeColumns = PortfolioColumns.HistoricalOutcome.Count(index.ContainsKey);
        if (outcomeColumns is > 0 and < 4)
            throw new ImportFileException(
                $"The header has only some of the outcome columns; give all of {string.Join(", ", PortfolioColumns.HistoricalOutcome)} or none.");
        return new PortfolioRowParser(index, header.Length, limits, asOf);
    }

    public bool HasHistoricalOutcome => _hasOutcome;

    public PortfolioRow? Parse(int rowNumber, string[] cells, FieldErrors errors)
    {
        if (cells.Length != _columnCount)
        {
            var missing = cells.Length < _columnCount
                ? _index.Where(c => c.Value >= cells.Length).OrderBy(c => c.Value).Select(c => c.Key).First()
                : null;
            errors.Add(missing ?? "(row)", missing is null
                ? $"row has {cells.Length} fields but the header has {_columnCount}"
                : $"missing: row has {cells.Length} fields but the header has {_columnCount}");
            return null;
        }
        foreach (var (column, i) in _index)
            if (cells[i].Length > _limits.MaxFieldLength)
                errors.Add(column, $"is longer than {_limits.MaxFieldLength} characters");
        if (!errors.IsEmpty)
            return null;

        var candidate = new CoreBankingLoan
        {
            LoanId = Text(PortfolioColumns.LoanId, cells),
            BorrowerId = Text(PortfolioColumns.BorrowerId, cells),
            Age = Integer(PortfolioColumns.Age, cells, errors),
            Gender = Text(PortfolioColumns.Gender, cells),
            EmploymentType = Text(PortfolioColumns.EmploymentType, cells),
            MonthlyIncome = Number(PortfolioColumns.MonthlyIncome, cells, errors),
            NumDependents = Integer(PortfolioColumns.NumDependents, cells, errors),
            LoanAmount = Number(PortfolioColumns.LoanAmount, cells, errors),
            LoanTenureMonths = Integer(PortfolioColumns.LoanTenure, cells, errors),
            InterestRate = Number(PortfolioColumns.InterestRate, cells, errors),
            LoanType = Text(PortfolioColumns.LoanType, cells),
            CollateralValue = Number(PortfolioColumns.CollateralValue, cells, errors),
            OutstandingLoanAmount = Number(PortfolioColumns.OutstandingLoanAmount, cells, errors),
            MonthlyEmi = Number(PortfolioColumns.MonthlyEmi, cells, errors),
        };
        // Cells that did not parse are already reported; validate the rest without repeating "is required" for them.
        var loanErrors = new FieldErrors();
        var loan = CoreBankingRules.Validate(candidate, _limits, loanErrors);
        var reported = errors.All.Select(e => e.Field).ToHashSet();
        foreach (var (field, reason) in loanErrors.All)
        {
            var column = PortfolioColumns.ColumnOfField[field];
            if (!reported.Contains(column))
                errors.Add(column, reason);
        }

        var history = OptionalCategory(PortfolioColumns.PaymentHistory, cells, Vocabulary.PaymentHistories, errors);
        var missed = OptionalCount(PortfolioColumns.NumMissedPayments, cells, errors);
        var daysPastDue = OptionalCount(PortfolioColumns.DaysPastDue, cells, errors);
        HistoricalOutcomeCells? outcome = null;
        if (_hasOutcome)
        {
            var status = RequiredCategory(PortfolioColumns.RecoveryStatus, cells, Vocabulary.RecoveryStatuses, errors);
            var attempts = OptionalCount(PortfolioColumns.CollectionAttempts, cells, errors, required: true);
            var method = RequiredCategory(PortfolioColumns.CollectionMethod, cells, Vocabulary.CollectionMethods, errors);
            var legal = RequiredCategory(PortfolioColumns.LegalActionTaken, cells, Vocabulary.YesNo, errors);
            if (status is not null && method is not null && legal is not null)
                outcome = new HistoricalOutcomeCells(status, attempts, method, legal == "Yes");
        }
        if (loan is null || !errors.IsEmpty)
            return null;
        var delinquency = DelinquencyState.Imported(loan.OutstandingLoanAmount, loan.MonthlyEmi, missed, daysPastDue, _asOf);
        return new PortfolioRow(rowNumber, loan, history, delinquency, outcome);
    }

    private string? Text(string column, string[] cells) =>
        _index.TryGetValue(column, out var i) && cells[i].Trim() is { Length: > 0 } value ? value : null;

    private decimal? Number(string column, string[] cells, FieldErrors errors)
    {
        var text = Text(column, cells);
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        errors.Add(column, $"'{CoreBankingRules.Shorten(text)}' is not a number");
        return null;
    }

    private int? Integer(string column, string[] cells, FieldErrors errors)
    {
        var text = Text(column, cells);
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value == decimal.Truncate(value) && value is >= int.MinValue and <= int.MaxValue)
            return (int)value;
        errors.Add(column, $"'{CoreBankingRules.Shorten(text)}' is not a whole number");
        return null;
    }

    private int OptionalCount(string column, string[] cells, FieldErrors errors, bool required = false)
    {
        if (!_index.ContainsKey(column))
            return 0;
        var text = Text(column, cells);
        if (text is null)
        {
            if (required)
                errors.Add(column, "is required");
            return 0;
        }
        var value = Integer(column, cells, errors);
        if (value < 0)
            errors.Add(column, $"must not be negative (was {value})");
        return value ?? 0;
    }

    private string? OptionalCategory(string column, string[] cells, string[] allowed, FieldErrors errors) =>
        Text(column, cells) is null ? null : RequiredCategory(column, cells, allowed, errors);

    private string? RequiredCategory(string column, string[] cells, string[] allowed, FieldErrors errors)
    {
        var text = Text(column, cells);
        if (text is null)
        {
            errors.Add(column, "is required");
            return null;
        }
        var canonical = Vocabulary.Canonical(allowed, text);
        if (canonical is null)
            errors.Add(column, $"'{CoreBankingRules.Shorten(text)}' is not one of: {Vocabulary.Describe(allowed)}");
        return canonical;
    }
}

/// <summary>The file as a whole cannot be imported (no header, missing columns); nothing was written.</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>A file with more data rows than <see cref="IngestionOptions.MaxImportRows"/>: refused whole, nothing imported.</summary>
public sealed class TooManyImportRowsException(int maxRows, int row)
    : Exception($"The file has more than {maxRows} rows, the most one import accepts (Ingestion:MaxImportRows); row {row} is the first over it. Nothing was imported; " +
                $"split the file into files of at most {maxRows} rows, each with the header. Importing them one after another is the " +
                "same as importing the whole file: loans already known are left unchanged.")
{
    public int MaxRows { get; } = maxRows;
}
