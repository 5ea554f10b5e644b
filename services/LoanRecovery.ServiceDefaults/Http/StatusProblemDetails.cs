using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// Gives the problems written for a bare status (by the status code pages: a body over the limit, a content type no
/// endpoint here accepts, a method not allowed, an address that matches no endpoint) the reason in words. Problems
/// that already say something (an endpoint's own, or one written for an exception) are left as they are.
/// </summary>
public static class StatusProblemDetails
{
    public static void Customize(ProblemDetailsContext context)
    {
        var details = context.ProblemDetails;
        if (context.Exception is not null || details.Detail is not null || details.Extensions.ContainsKey("errors"))
            return;
        var http = context.HttpContext;
        switch (details.Status)
        {
            case StatusCodes.Status413PayloadTooLarge:
                RequestProblems.Apply(details, BadRequestDescriber.BodyTooLarge(http.Features.Get<RequestBodyLimitFeature>()?.MaxBytes));
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                var accepted = http.RequestServices.GetRequiredService<AcceptedContentTypes>().For(http.Request);
                RequestProblems.Apply(details, BadRequestDescriber.UnsupportedContentType(http.Request.ContentType, accepted));
                break;
            case StatusCodes.Status405MethodNotAllowed:
                details.Detail = $"{http.Request.Method} is not allowed at this address; it allows {http.Response.Headers.Allow}.";
                break;
            case StatusCodes.Status404NotFound when http.GetEndpoint() is null:
                details.Detail = $"No endpoint has the address {http.Request.Method} {http.Request.Path}: check it, and the format of any " +
                                 "identifier in it (a task id, for example, is a GUID).";
                break;
        }
    }
}
