using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// Says what is wrong with a request that minimal APIs could not bind (they throw <see cref="BadHttpRequestException"/>
/// when <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on): which body field, query or route parameter, and why, in the
/// shape of the endpoints' own validation problems. The endpoint tells the type its body is read into and the types of
/// its parameters, so the reasons can say what was expected ("must be a number").
/// </summary>
public sealed partial class BadRequestDescriber(JsonSerializerOptions json)
{
    public const string BodyTitle = "The request body is not valid";
    public const string RequestTitle = "The request is not valid";

    /// <param name="error">What the framework threw.</param>
    /// <param name="endpoint">The endpoint that threw: the type of its body and of its parameters.</param>
    /// <param name="bodyLength">The request's Content-Length (null when chunked): tells an empty body from a JSON <c>null</c>.</param>
    /// <param name="contentType">The request's Content-Type, for a 415.</param>
    /// <param name="bodyLimit">The body limit in force, for a 413.</param>
    public RequestProblem Describe(BadHttpRequestException error, Endpoint? endpoint, long? bodyLength, string? contentType, long? bodyLimit)
    {
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (error.InnerException is JsonException jsonError)
            return new RequestProblem(400, BodyTitle, [JsonBodyErrors.Describe(jsonError, bodyType, json)]);
        switch (error.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return BodyTooLarge(bodyLimit);
            case StatusCodes.Status415UnsupportedMediaType:
                return UnsupportedContentType(contentType, ["application/json"]);
        }
        var required = RequiredParameter().Match(error.Message);
        if (BodyNotProvided().IsMatch(error.Message) || required.Success && required.Groups["source"].Value == "body")
        {
            var expected = bodyType is null ? "must be JSON" : ValueExpectations.Of(bodyType);
            return new RequestProblem(400, BodyTitle, [bodyLength is null or 0
                ? new RequestError(JsonBodyErrors.Body, $"is empty; it {expected}")
                : new RequestError(JsonBodyErrors.Body, $"{expected}, not null")]);
        }
        if (required.Success)
            return new RequestProblem(400, RequestTitle, [new RequestError(required.Groups["name"].Value, "is required")]);
        if (UnreadableParameter().Match(error.Message) is { Success: true } unreadable)
        {
            var name = unreadable.Groups["name"].Value;
            var expected = ParameterType(endpoint, name) is { } type ? ValueExpectations.Of(type) : "is not valid";
            return new RequestProblem(400, RequestTitle,
                [new RequestError(name, $"{expected} (was '{unreadable.Groups["value"].Value}')", expected)]);
        }
        // Anything else the framework refuses (a form it cannot read, …) keeps its own message.
        return new RequestProblem(error.StatusCode, RequestTitle, [new RequestError("request", error.Message, "cannot be bound")]);
    }

    public static RequestProblem BodyTooLarge(long? limit) => new(StatusCodes.Status413PayloadTooLarge, "Request body too large",
        [new RequestError(JsonBodyErrors.Body, limit is { } bytes ? $"is larger than the {bytes} bytes this endpoint accepts" : "is larger than this endpoint accepts")]);

    public static RequestProblem UnsupportedContentType(string? sent, IReadOnlyCollection<string> accepted)
    {
        var expected = accepted.Count == 0 ? "a content type this endpoint accepts" : string.Join(" or ", accepted.Distinct(StringComparer.OrdinalIgnoreCase));
        var reason = string.IsNullOrEmpty(sent)
            ? $"is missing; the body must be sent as {expected}"
            : $"must be {expected} (was '{sent}')";
        return new RequestProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            [new RequestError("Content-Type", reason, string.IsNullOrEmpty(sent) ? reason : $"must be {expected}")]);
    }

    private static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    // The framework's messages (RequestDelegateFactory), stable since .NET 6; the fallback above keeps a message that
    // changes wording specific all the same.
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex UnreadableParameter();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]*) (?<name>[^" ]+)" was not provided from (?<source>[^.]+)\.$""")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("""^Implicit body inferred for parameter "[^"]+" but no body was provided""")]
    private static partial Regex BodyNotProvided();
}
