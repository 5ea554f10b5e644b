using System.Text.Json;

namespace LoanRecovery.Segmentation.Domain;

/// <summary>The optional body of a refit: <c>{ "k": 5 }</c> or <c>{ "kRange": "2..8" }</c>; neither means the configured k.</summary>
public sealed record RefitRequest(int? K, string? KRange);

public static class RefitRequestParser
{
    /// <summary>Reads a refit body; errors are keyed by the field they concern, as problem details report them.</summary>
    public static (int? K, (int Min, int Max)? Range, Dictionary<string, string[]> Errors) Parse(string body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body))
            return (null, null, errors);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            errors["body"] = [$"is not valid JSON: {ex.Message}"];
            return (null, null, errors);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["must be a JSON object such as { \"k\": 5 } or { \"kRange\": \"2..8\" }"];
                return (null, null, errors);
            }
            int? k = null;
            (int, int)? range = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("k") || string.Equals(property.Name, "k", StringComparison.OrdinalIgnoreCase))
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                        continue;
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var value))
                        errors["k"] = ["must be a whole number"];
                    else if (value < 2 || value > KRangeText.MaxK)
                        errors["k"] = [$"must be between 2 and {KRangeText.MaxK}"];
                    else
                        k = value;
                }
                else if (string.Equals(property.Name, "kRange", StringComparison.OrdinalIgnoreCase))
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                        continue;
                    if (property.Value.ValueKind != JsonValueKind.String)
                        errors["kRange"] = ["must be a string such as \"2..8\""];
                    else if (!KRangeText.TryParse(property.Value.GetString()!, out var parsed, out var error))
                        errors["kRange"] = [error];
                    else
                        range = parsed;
                }
                else
                {
                    errors[property.Name] = ["is not a refit setting (use k or kRange)"];
                }
            }
            if (k is not null && range is not null)
                errors["kRange"] = ["give either k or kRange, not both"];
            return (k, range, errors);
        }
    }
}
