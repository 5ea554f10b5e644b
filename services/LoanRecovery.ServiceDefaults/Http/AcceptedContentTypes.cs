using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// The content types the endpoints at a request's address and method accept. Routing answers a body of another type
/// with 415 before any endpoint runs, through an endpoint of its own, so the 415 problem looks them up here to say
/// what to send instead (JSON for most endpoints, CSV or multipart for Ingestion's import).
/// </summary>
public sealed class AcceptedContentTypes(EndpointDataSource endpoints)
{
    public IReadOnlyList<string> For(HttpRequest request)
    {
        var accepted = new List<string>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { } accepts)
                continue;
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods
                && !methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
                continue;
            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
            if (matcher.TryMatch(request.Path, new RouteValueDictionary()))
                accepted.AddRange(accepts.ContentTypes);
        }
        return accepted;
    }
}
