using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace LoanRecovery.Testing;

/// <summary>Assertions on the problems (RFC 9457 <c>application/problem+json</c>) the services answer refused requests with.</summary>
public static class ProblemAssert
{
    /// <summary>
    /// The response is the problem <paramref name="request"/> expects: its status, and either its field in <c>errors</c>
    /// with a reason containing the expected words, or (no field) those words in the title or detail.
    /// </summary>
    public static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, MalformedRequest request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == request.Status, $"{(int)response.StatusCode} instead of {request.Status} for {request}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{response.Content.Headers.ContentType} instead of a problem for {request}: {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        if (request.Field is null)
        {
            var said = $"{Text(problem, "title")} {Text(problem, "detail")}";
            Assert.True(said.Contains(request.Reason, StringComparison.Ordinal), $"'{request.Reason}' is not said for {request}: {text}");
            return problem;
        }
        var reasons = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(request.Field, out var named) ? named : default;
        Assert.True(reasons.ValueKind == JsonValueKind.Array, $"{request.Field} is not named for {request}: {text}");
        Assert.True(reasons.EnumerateArray().Any(r => r.GetString()!.Contains(request.Reason, StringComparison.Ordinal)),
            $"{request.Field}: '{request.Reason}' is not said for {request}: {text}");
        return problem;
    }

    /// <summary>The reasons a problem gives for a field.</summary>
    public static async Task<string[]> ReasonsAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var reasons)
            ? reasons.EnumerateArray().Select(r => r.GetString()!).ToArray()
            : [];
    }

    private static string Text(JsonElement problem, string member) =>
        problem.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
