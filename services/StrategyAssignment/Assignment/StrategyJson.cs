using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanRecovery.StrategyAssignment.Assignment;

/// <summary>How documents stored as jsonb are written: camelCase, enums as names.</summary>
public static class StrategyJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
