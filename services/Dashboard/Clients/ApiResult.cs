using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanRecovery.Dashboard.Clients;

/// <summary>
/// What a service answered: the value, or its problem in words (title, detail and the message of each field, keyed by the
/// API's field name) so the page can show it next to the field.
/// </summary>
public sealed record ApiResult<T>(T? Value, HttpStatusCode Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> FieldErrors)
{
    public bool Succeeded => (int)Status is >= 200 and < 300 && Value is not null;

    /// <summary>One line for the page: "Title: detail", or the field messages when there is no detail.</summary>
    public string Message => string.Join(": ", new[] { Title, Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>Reading the services' JSON and their RFC 7807 problems, shared by the typed clients.</summary>
public static class ServiceCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);

    public static async Task<ApiResult<T>> SendAsync<T>(HttpClient http, string service, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            // The page says which service did not answer; the exception's message names the address, not any borrower data.
            return Failure<T>(HttpStatusCode.ServiceUnavailable, $"{service} did not answer", ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure<T>(HttpStatusCode.GatewayTimeout, $"{service} did not answer in time", null);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
                return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), response.StatusCode, null, null, NoErrors);
            ProblemBody? problem = null;
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
                problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
            return new ApiResult<T>(default, response.StatusCode,
                problem?.Title ?? (response.StatusCode == HttpStatusCode.NotFound ? "Not found" : $"{service} answered {(int)response.StatusCode}"),
                problem?.Detail, problem?.Errors ?? NoErrors);
        }
    }

    public static ApiResult<T> Failure<T>(HttpStatusCode status, string title, string? detail) => new(default, status, title, detail, NoErrors);

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static Task<ApiResult<T>> GetAsync<T>(HttpClient http, string service, string path, CancellationToken cancellationToken) =>
        SendAsync<T>(http, service, new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public static Task<ApiResult<T>> PostAsync<T>(HttpClient http, string service, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(http, service, new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
