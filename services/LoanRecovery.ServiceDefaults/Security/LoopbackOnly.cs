using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// Health and the OpenAPI document need no token, so they answer only callers on this machine (the orchestrator's probe,
/// an operator's shell); from anywhere else they are not found.
/// </summary>
public static class LoopbackOnly
{
    public static readonly string[] Paths = ["/health", "/openapi"];

    /// <summary>Whether a caller at this address may use the open endpoints. No address: an in-process host, no network.</summary>
    public static bool Allows(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);

    public static IApplicationBuilder UseLoopbackOnlyForOpenEndpoints(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Paths.Any(p => context.Request.Path.StartsWithSegments(p)) && !Allows(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
}
