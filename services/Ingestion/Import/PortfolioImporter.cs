using System.Globalization;
using System.Text.Json;
using CsvHelper;
using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Ledger;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LoanRecovery.Ingestion.Import;

public sealed record RowRejection(int Row, string Column, string Reason);

public sealed record ImportSummary(
    Guid ImportId,
    string? FileName,
    int RowsRead,
    int Accepted,
    int Unchanged,
    int Rejected,
    IReadOnlyList<RowRejection> Rejections,
    bool RejectionsTruncated);

/// <summary>
/// Bulk import of a portfolio file. Rows stream from the request through CsvHelper into a temporary staging table by
/// binary COPY (memory stays flat whatever the file size); set-based SQL then rejects in-file duplicate loan ids,
/// inserts new borrowers, loans and historical outcomes, and writes their <see cref="LoanOpened"/> and historical
/// <see cref="RecoveryOutcomeRecorded"/> events to the outbox — all in one transaction. Loans already known are
/// counted as unchanged, so re-importing a file has no effect.
/// </summary>
public sealed partial class PortfolioImporter(
    NpgsqlDataSource dataSource,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    IOptions<IngestionOptions> options,
    ILogger<PortfolioImporter> logger)
{
    private static readonly string LoanOpenedType = OutboxMessage.TypeNameOf(typeof(LoanOpened));
    private static readonly string OutcomeType = OutboxMessage.TypeNameOf(typeof(RecoveryOutcomeRecorded));

    public async Task<ImportSummary> ImportAsync(Stream csv, string? fileName, CancellationToken cancellationToken)
    {
        var importId = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var limits = new TextLimits(options.Value.MaxFieldLength);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, StagingTableSql, cancellationToken);

        var (rowsRead, hasOutcome) = await CopyIntoStagingAsync(connection, csv, limits, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);

        await ExecuteAsync(connection, transaction,
            "INSERT INTO import_run (import_id, file_name, started_at, status) VALUES (@id, @file, @now, 'running')",
            cancellationToken, ("id", importId), ("file", (object?)fileName ?? DBNull.Value), ("now", now));
        await ExecuteAsync(connection, transaction, RejectDuplicatesSql, cancellationToken);
        await ExecuteAsync(connection, transaction, StoreRejectionsSql, cancellationToken, ("id", importId));
        await ExecuteAsync(connection, transaction, InsertBorrowersSql, cancellationToken, ("now", now));
        var accepted = await ExecuteAsync(connection, transaction, InsertLoansSql, cancellationToken, ("id", importId), ("now", now));
        if (hasOutcome)
            await ExecuteAsync(connection, transaction, InsertOutcomesSql, cancellationToken, ("id", importId));
        await ExecuteAsync(connection, transaction, LoanOpenedOutboxSql, cancellationToken,
            ("type", LoanOpenedType), ("now", now));
        if (hasOutcome)
            await ExecuteAsync(connection, transaction, OutcomeOutboxSql, cancellationToken, ("type", OutcomeType), ("now", now));

        var rejected = await ScalarAsync(connection, transaction, "SELECT count(*)::int FROM import_staging WHERE rejection IS NOT NULL", cancellationToken);
        var unchanged = rowsRead - rejected - accepted;
        await ExecuteAsync(connection, transaction,
            """
            UPDATE import_run SET finished_at = @finished, rows_read = @read, accepted = @accepted, unchanged = @unchanged,
                                  rejected = @rejected, status = 'completed'
            WHERE import_id = @id
            """, cancellationToken,
            ("finished", clock.GetUtcNow()), ("read", rowsRead), ("accepted", accepted), ("unchanged", unchanged), ("rejected", rejected), ("id", importId));
        var (rejections, truncated) = await ReadRejectionsAsync(connection, transaction, importId, 0, options.Value.MaxRejectionsInResponse, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();

        LogImported(importId, rowsRead, accepted, unchanged, rejected);
        return new ImportSummary(importId, fileName, rowsRead, accepted, unchanged, rejected, rejections, truncated);
    }

    public async Task<(IReadOnlyList<RowRejection> Items, bool More)> ReadRejectionsAsync(Guid importId, int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadRejectionsAsync(connection, null, importId, skip, take, cancellationToken);
    }

    private async Task<(int RowsRead, bool HasOutcome)> CopyIntoStagingAsync(
        NpgsqlConnection connection, Stream csv, TextLimits limits, DateOnly asOf, CancellationToken cancellationToken)
    {
        var malformed = new Dictionary<long, string>();
        await using var reader = CsvReader.Create(csv, new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            // A row with too few or too many fields is reported for that row, not thrown for the whole file.
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            // Portfolio cells never hold line breaks: a line break ends the record, so one unbalanced quote spoils its
            // own row only instead of swallowing the rest of the file (and buffering it as one record).
            AllowLineBreaksInQuotes = false,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record => malformed[record.LineNumber] = record.Reason.ToString(),
        }, true);
        await reader.ReadHeaderAsync(cancellationToken);
        var rowParser = PortfolioRowParser.FromHeader(reader.Headers.ToArray(), limits, asOf);
        var maxRows = options.Value.MaxImportRows;

        await using var copy = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetString(i);
            if (cells.All(string.IsNullOrWhiteSpace))
                continue; // a blank line is not a row
            rows++;
            // Rows are numbered by their line in the file, as a spreadsheet shows them: the header is row 1.
            var rowNumber = (int)reader.LineNumber;
            // Stops reading at the first row over the limit; leaving the COPY and the transaction uncommitted discards the rest.
            if (rows > maxRows)
                throw new TooManyImportRowsException(maxRows, rowNumber);
            var errors = new FieldErrors();
            var row = malformed.Remove(reader.LineNumber, out var quoting)
                ? Reject(errors, $"malformed quoting ({quoting}): the row cannot be read reliably")
                : rowParser.Parse(rowNumber, cells, errors);
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(rowNumber, NpgsqlDbType.Integer, cancellationToken);
            if (row is null)
            {
                for (var i = 0; i < StagingValueColumns; i++)
                    await copy.WriteNullAsync(cancellationToken);
                var rejection = JsonSerializer.Serialize(errors.All.Select(e => new { column = e.Field, reason = e.Reason }));
                await copy.WriteAsync(rejection, NpgsqlDbType.Jsonb, cancellationToken);
                continue;
            }
            await WriteRowAsync(copy, row, cancellationToken);
            await copy.WriteNullAsync(cancellationToken); // rejection
        }
        await copy.CompleteAsync(cancellationToken);
        return (rows, rowParser.HasHistoricalOutcome);
    }

    private static PortfolioRow? Reject(FieldErrors errors, string reason)
    {
        errors.Add("(row)", reason);
        return null;
    }

    /// <summary>Longest record read; a portfolio row is a few hundred bytes.</summary>
    private const int MaxRecordBytes = 1024 * 1024;

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, PortfolioRow row, CancellationToken ct)
    {
        var loan = row.Loan;
        await copy.WriteAsync(loan.LoanId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(loan.BorrowerId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(loan.Age, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(loan.Gender, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(loan.EmploymentType, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(loan.MonthlyIncome, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(loan.NumDependents, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(loan.LoanAmount, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(loan.LoanTenureMonths, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(loan.InterestRate, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(loan.LoanType, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(loan.CollateralValue, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(loan.OutstandingLoanAmount, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(loan.MonthlyEmi, NpgsqlDbType.Numeric, ct);
        await WriteNullableAsync(copy, row.PaymentHistory, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(row.Delinquency.MissedPayments, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(row.Delinquency.DaysPastDue, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(row.Delinquency.Arrears, NpgsqlDbType.Numeric, ct);
        await WriteNullableAsync(copy, row.Delinquency.OldestUnpaidDueDate, NpgsqlDbType.Date, ct);
        await WriteNullableAsync(copy, row.Outcome?.RecoveryStatus, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, row.Outcome?.Status.ToString(), NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, row.Outcome?.CollectionAttempts, NpgsqlDbType.Integer, ct);
        await WriteNullableAsync(copy, row.Outcome?.CollectionMethod, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, row.Outcome?.LegalActionTaken, NpgsqlDbType.Boolean, ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    private static async Task<(IReadOnlyList<RowRejection>, bool)> ReadRejectionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid importId, int skip, int take, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT row_number, column_name, reason FROM import_rejection
            WHERE import_id = @id ORDER BY row_number, column_name OFFSET @skip LIMIT @take
            """, connection, transaction);
        command.Parameters.AddWithValue("id", importId);
        command.Parameters.AddWithValue("skip", skip);
        command.Parameters.AddWithValue("take", take + 1);
        var items = new List<RowRejection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new RowRejection(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        var more = items.Count > take;
        if (more)
            items.RemoveAt(items.Count - 1);
        return (items, more);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Staging columns after row_number and before rejection.</summary>
    private const int StagingValueColumns = 24;

    private const string StagingTableSql =
        """
        CREATE TEMPORARY TABLE import_staging (
            row_number integer NOT NULL,
            loan_id text, borrower_id text, age integer, gender text, employment_type text, monthly_income numeric,
            num_dependents integer, loan_amount numeric, loan_tenure_months integer, interest_rate numeric, loan_type text,
            collateral_value numeric, outstanding numeric, monthly_emi numeric, payment_history text, missed_payments integer,
            days_past_due integer, arrears numeric, oldest_unpaid_due_date date, recovery_status text, recovery_status_code text,
            collection_attempts integer, collection_method text, legal_action_taken boolean,
            rejection jsonb,
            is_new boolean NOT NULL DEFAULT false
        ) ON COMMIT DROP
        """;

    private const string CopyCommand =
        """
        COPY import_staging (row_number, loan_id, borrower_id, age, gender, employment_type, monthly_income, num_dependents,
            loan_amount, loan_tenure_months, interest_rate, loan_type, collateral_value, outstanding, monthly_emi, payment_history,
            missed_payments, days_past_due, arrears, oldest_unpaid_due_date, recovery_status, recovery_status_code,
            collection_attempts, collection_method, legal_action_taken, rejection) FROM STDIN (FORMAT BINARY)
        """;

    private const string RejectDuplicatesSql =
        """
        WITH firsts AS (
            SELECT loan_id, min(row_number) AS first_row FROM import_staging
            WHERE rejection IS NULL GROUP BY loan_id HAVING count(*) > 1)
        UPDATE import_staging s
        SET rejection = jsonb_build_array(jsonb_build_object(
            'column', 'Loan_ID',
            'reason', format('duplicate Loan_ID ''%s'': already given on row %s of this file', s.loan_id, f.first_row)))
        FROM firsts f
        WHERE s.loan_id = f.loan_id AND s.row_number > f.first_row
        """;

    private const string StoreRejectionsSql =
        """
        INSERT INTO import_rejection (import_id, row_number, column_name, reason)
        SELECT @id, s.row_number, r."column", string_agg(r.reason, '; ')
        FROM import_staging s, jsonb_to_recordset(s.rejection) AS r("column" text, reason text)
        WHERE s.rejection IS NOT NULL
        GROUP BY s.row_number, r."column"
        """;

    private const string InsertBorrowersSql =
        """
        INSERT INTO borrower (borrower_id, age, gender, employment_type, monthly_income, num_dependents, created_at)
        SELECT DISTINCT ON (borrower_id) borrower_id, age, gender, employment_type, monthly_income, num_dependents, @now
        FROM import_staging WHERE rejection IS NULL
        ORDER BY borrower_id, row_number
        ON CONFLICT DO NOTHING
        """;

    private const string InsertLoansSql =
        """
        WITH inserted AS (
            INSERT INTO loan (loan_id, borrower_id, loan_amount, loan_tenure_months, interest_rate, loan_type, collateral_value,
                              initial_outstanding, monthly_emi, outstanding_balance, arrears_amount, oldest_unpaid_due_date,
                              days_past_due, missed_payments, payment_history, source, import_id, created_at, updated_at)
            SELECT loan_id, borrower_id, loan_amount, loan_tenure_months, interest_rate, loan_type, collateral_value,
                   outstanding, monthly_emi, outstanding, arrears, oldest_unpaid_due_date,
                   days_past_due, missed_payments, payment_history, 'import', @id, @now, @now
            FROM import_staging WHERE rejection IS NULL
            ORDER BY row_number
            ON CONFLICT DO NOTHING
            RETURNING loan_id)
        UPDATE import_staging s SET is_new = true FROM inserted i WHERE s.loan_id = i.loan_id AND s.rejection IS NULL
        """;

    private const string InsertOutcomesSql =
        """
        INSERT INTO historical_outcome (loan_id, recovery_status, collection_attempts, collection_method, legal_action_taken, import_id)
        SELECT loan_id, recovery_status, collection_attempts, collection_method, legal_action_taken, @id
        FROM import_staging WHERE is_new AND recovery_status IS NOT NULL
        """;

    // Event bodies are built here, in the contracts' camelCase JSON shape, so a million-row import never
    // materialises its events in the service's memory.
    private const string LoanOpenedOutboxSql =
        """
        INSERT INTO outbox_message (message_id, message_type, body, created_at)
        SELECT gen_random_uuid(), @type, jsonb_build_object(
            'loanId', loan_id, 'borrowerId', borrower_id, 'age', age, 'gender', gender, 'employmentType', employment_type,
            'monthlyIncome', monthly_income, 'numDependents', num_dependents, 'loanAmount', loan_amount,
            'loanTenureMonths', loan_tenure_months, 'interestRate', interest_rate, 'loanType', loan_type,
            'collateralValue', collateral_value, 'outstandingLoanAmount', outstanding, 'monthlyEmi', monthly_emi,
            'openedOn', NULL, 'daysPastDue', days_past_due, 'missedPayments', missed_payments,
            'paymentHistory', payment_history, 'occurredAt', @now), @now
        FROM import_staging WHERE is_new
        ORDER BY row_number
        """;

    private const string OutcomeOutboxSql =
        """
        INSERT INTO outbox_message (message_id, message_type, body, created_at)
        SELECT gen_random_uuid(), @type, jsonb_build_object(
            'outcomeId', gen_random_uuid(), 'loanId', loan_id, 'borrowerId', borrower_id, 'historical', true,
            'status', recovery_status_code, 'amountRecovered', NULL, 'contactCost', NULL, 'daysToRecover', NULL,
            'strategy', NULL, 'collectionMethod', collection_method, 'collectionAttempts', collection_attempts,
            'legalActionTaken', legal_action_taken, 'policyVersion', NULL, 'arm', NULL, 'modelVersion', NULL,
            'features', '{}'::jsonb, 'recordedAt', @now), @now
        FROM import_staging WHERE is_new AND recovery_status IS NOT NULL
        ORDER BY row_number
        """;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Import {ImportId}: {RowsRead} rows read, {Accepted} accepted, {Unchanged} unchanged, {Rejected} rejected")]
    private partial void LogImported(Guid importId, int rowsRead, int accepted, int unchanged, int rejected);
}
