using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Contracts;
using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Import;
using LoanRecovery.Ingestion.Ledger;
using LoanRecovery.Ingestion.Persistence;
using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LoanRecovery.Ingestion.Endpoints;

public sealed record RecordedResponse(string Id, bool Created);

public static class IngestionEndpoints
{
    public static WebApplication MapIngestionEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Ingestion").RequireAuthorization(ServiceRoles.IngestOrStaff);
        api.MapPost("/imports", ImportAsync)
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithSummary("Bulk import of a portfolio CSV in the schema of loan-recovery.csv")
            .DisableAntiforgery()
            // The import bounds its body itself (Ingestion:MaxImportBytes), above the services' JSON body limit.
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .RequireAuthorization(ServiceRoles.Ingest);
        api.MapGet("/imports/{importId:guid}", GetImportAsync).WithSummary("An import's counts");
        api.MapGet("/imports/{importId:guid}/rejections", GetRejectionsAsync).WithSummary("Every rejected row of an import, paged");
        api.MapPost("/loans", OpenLoanAsync).WithSummary("Open a loan (core banking shape)").RequireAuthorization(ServiceRoles.Ingest);
        api.MapGet("/loans/{loanId}", GetLoanAsync).WithSummary("A loan with its payment history and current delinquency");
        api.MapPost("/payments", RecordPaymentAsync).WithSummary("Record an instalment (core banking shape)").RequireAuthorization(ServiceRoles.Ingest);
        api.MapPost("/reconciliation", ReconcileAsync)
            .WithSummary("Which of these loan and payment ids are recorded: core banking's check of what it published");
        return app;
    }

    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, PortfolioImporter importer, IOptions<IngestionOptions> options, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.Value.MaxImportBytes;
        try
        {
            if (request.HasFormContentType)
            {
                var (stream, fileName) = await OpenFirstFileAsync(request, options.Value.MaxImportBytes, cancellationToken);
                if (stream is null)
                    return TypedResults.Problem(statusCode: 400, title: "No file", detail: "The multipart body has no file part.");
                return TypedResults.Ok(await importer.ImportAsync(stream, fileName, cancellationToken));
            }
            return TypedResults.Ok(await importer.ImportAsync(request.Body, request.Headers["X-File-Name"].FirstOrDefault(), cancellationToken));
        }
        catch (ImportFileException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "The file cannot be imported", detail: ex.Message);
        }
        catch (TooManyImportRowsException ex)
        {
            return TypedResults.Problem(statusCode: 413, title: "Too many rows", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["maxImportRows"] = ex.MaxRows });
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: 413, title: "File too large",
                detail: $"Imports are limited to {options.Value.MaxImportBytes} bytes.");
        }
    }

    /// <summary>Streams the first file part of a multipart body without buffering it.</summary>
    private static async Task<(Stream? Stream, string? FileName)> OpenFirstFileAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value
            ?? throw new ImportFileException("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = maxBytes };
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                return (section.Body, HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
        }
        return (null, null);
    }

    private static async Task<Results<Ok<ImportRun>, NotFound>> GetImportAsync(Guid importId, IngestionDbContext db, CancellationToken cancellationToken) =>
        await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.ImportId == importId, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.NotFound();

    public sealed record RejectionPage(Guid ImportId, int Skip, int Take, bool More, IReadOnlyList<RowRejection> Items);

    private static async Task<Results<Ok<RejectionPage>, ValidationProblem>> GetRejectionsAsync(
        Guid importId, PortfolioImporter importer, CancellationToken cancellationToken, int skip = 0, int take = 500)
    {
        var errors = new FieldErrors();
        if (skip < 0) errors.Add("skip", "must not be negative");
        if (take is < 1 or > 10_000) errors.Add("take", "must be between 1 and 10000");
        if (!errors.IsEmpty)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var (items, more) = await importer.ReadRejectionsAsync(importId, skip, take, cancellationToken);
        return TypedResults.Ok(new RejectionPage(importId, skip, take, more, items));
    }

    private static async Task<Results<Created<RecordedResponse>, Ok<RecordedResponse>, ValidationProblem>> OpenLoanAsync(
        CoreBankingLoan loan, UnitOfWork<IngestionDbContext> unitOfWork, LoanLedger ledger, IOptions<IngestionOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (CoreBankingRules.Validate(loan, new TextLimits(options.Value.MaxFieldLength), errors) is not { } valid)
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The loan is not valid");
        var result = await unitOfWork.RunAsync(ct => ledger.OpenLoanAsync(valid, LoanSource.Http, ct), cancellationToken);
        var body = new RecordedResponse(valid.LoanId, result == RecordResult.Created);
        return result == RecordResult.Created
            ? TypedResults.Created($"/api/loans/{Uri.EscapeDataString(valid.LoanId)}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<LoanView>, NotFound>> GetLoanAsync(string loanId, IngestionDbContext db, CancellationToken cancellationToken) =>
        await db.FindLoanAsync(loanId, cancellationToken) is { } loan ? TypedResults.Ok(loan) : TypedResults.NotFound();

    private static async Task<Results<Ok<ReconciliationResult>, ValidationProblem, ProblemHttpResult>> ReconcileAsync(
        ReconciliationRequest request, IngestionDbContext db, IOptions<IngestionOptions> options, CancellationToken cancellationToken)
    {
        int asked = (request.LoanIds?.Count ?? 0) + (request.PaymentIds?.Count ?? 0);
        if (asked > options.Value.MaxReconciliationIds)
            return TypedResults.Problem(statusCode: 413, title: "Too many ids",
                detail: $"One reconciliation may ask about at most {options.Value.MaxReconciliationIds} loan and payment ids together; this one asked about {asked}. Split it.",
                extensions: new Dictionary<string, object?> { ["maxReconciliationIds"] = options.Value.MaxReconciliationIds });
        var errors = new FieldErrors();
        if (Reconciliation.Validate(request, options.Value.MaxFieldLength, errors) is not var (loanIds, paymentIds))
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The reconciliation request is not valid");
        return TypedResults.Ok(await db.ReconcileAsync(loanIds, paymentIds, cancellationToken));
    }

    private static async Task<Results<Created<RecordedResponse>, Ok<RecordedResponse>, ValidationProblem>> RecordPaymentAsync(
        CoreBankingPayment payment, UnitOfWork<IngestionDbContext> unitOfWork, LoanLedger ledger, IOptions<IngestionOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (CoreBankingRules.Validate(payment, new TextLimits(options.Value.MaxFieldLength), errors) is not { } valid)
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The payment is not valid");
        try
        {
            var result = await unitOfWork.RunAsync(ct => ledger.RecordPaymentAsync(valid, LoanSource.Http, ct), cancellationToken);
            var body = new RecordedResponse(valid.PaymentId, result == RecordResult.Created);
            return result == RecordResult.Created
                ? TypedResults.Created($"/api/loans/{Uri.EscapeDataString(valid.LoanId)}", body)
                : TypedResults.Ok(body);
        }
        catch (UnknownLoanException ex)
        {
            errors.Add("loanId", $"loan '{ex.LoanId}' is not known");
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The payment is not valid");
        }
    }
}
