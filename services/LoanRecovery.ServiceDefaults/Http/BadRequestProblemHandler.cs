using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// Answers a request that minimal APIs could not bind (unreadable JSON, a value of the wrong kind, no body, a query
/// parameter that does not parse) with a 400 problem naming the field and why, instead of the framework's bare 400.
/// Other exceptions are left to the default handling (500).
/// </summary>
public sealed partial class BadRequestProblemHandler(IProblemDetailsService problems, IOptions<JsonOptions> json, ILogger<BadRequestProblemHandler> logger)
    : IExceptionHandler
{
    private readonly BadRequestDescriber _describer = new(json.Value.SerializerOptions);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
            return false;
        // The exception handler has cleared the endpoint from the context; the feature keeps the one that threw.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var problem = _describer.Describe(badRequest, endpoint, context.Request.ContentLength, context.Request.ContentType,
            context.Features.Get<RequestBodyLimitFeature>()?.MaxBytes);
        LogRefused(endpoint?.DisplayName, problem.Status, problem.ToLogSafeString());
        return await RequestProblems.WriteAsync(problems, context, problem, exception);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request to {Endpoint} refused with {Status}: {Errors}")]
    private partial void LogRefused(string? endpoint, int status, string errors);
}

/// <summary>Writes a <see cref="RequestProblem"/> as the endpoints write their validation problems.</summary>
public static class RequestProblems
{
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext context, RequestProblem problem, Exception? exception)
    {
        context.Response.StatusCode = problem.Status;
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(problem.ErrorsByField())
            {
                Status = problem.Status,
                Title = problem.Title,
                Detail = Summary(problem),
            },
        });
    }

    /// <summary>Fills a status-only problem (written by the status code pages) with the title, detail and errors of <paramref name="problem"/>.</summary>
    public static void Apply(Microsoft.AspNetCore.Mvc.ProblemDetails details, RequestProblem problem)
    {
        details.Title = problem.Title;
        details.Detail = Summary(problem);
        details.Extensions["errors"] = problem.ErrorsByField();
    }

    /// <summary>"amountPaid must be a number; paidOn must be a date (yyyy-MM-dd)".</summary>
    public static string Summary(RequestProblem problem) => string.Join("; ", problem.Errors.Select(e => $"{e.Field} {e.Reason}"));
}
