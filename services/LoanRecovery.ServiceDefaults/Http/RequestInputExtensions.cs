using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// How every service reads what callers send: bodies bounded in size, and every request that cannot be read answered
/// with a problem naming the field and why, in the shape of the endpoints' own validation problems.
/// </summary>
public static class RequestInputExtensions
{
    public static IServiceCollection AddRequestInputHandling(this IServiceCollection services)
    {
        services.AddOptions<HttpInputOptions>().BindConfiguration(HttpInputOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        // Binding failures are thrown instead of answered with a bare 400, so BadRequestProblemHandler can say what failed.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblemDetails.Customize);
        services.AddExceptionHandler<BadRequestProblemHandler>();
        services.AddSingleton<AcceptedContentTypes>();
        // Enums travel by name. An integer (or a numeric string) for an enum is refused: it would bind to a value that
        // is not defined ("outcome": 7) and reach the domain as if it were one.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false)));
        return services;
    }

    /// <summary>After authentication and authorization: callers without a token get 401 whatever they send.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.UseMiddleware<RequestBodyLimitMiddleware>();
}
