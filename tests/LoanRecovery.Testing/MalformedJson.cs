using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoanRecovery.Testing;

/// <summary>The JSON kind a field of a request body holds.</summary>
public enum JsonFieldKind { Text, Number, WholeNumber, Date, Enum, Boolean }

/// <summary>A field of a request body: its API name, its kind, and for an enum the names it accepts.</summary>
public sealed record JsonField(string Name, JsonFieldKind Kind, params string[] EnumNames);

/// <summary>
/// A request a service must refuse, and what its problem must say: the status, the field named in <c>errors</c> (null
/// when the problem names no field: a 404 or 409, whose title and detail say why) and words the reason must contain.
/// </summary>
public sealed record MalformedRequest(string Description, byte[] Body, string? ContentType, int Status, string? Field, string Reason, bool Chunked = false)
{
    public HttpContent Content()
    {
        HttpContent content = Chunked ? new StreamContent(new UnknownLengthStream(Body)) : new ByteArrayContent(Body);
        if (ContentType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        return content;
    }

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        return $"{Description} ({Body.Length} bytes: {(text.Length > 120 ? text[..120] + "…" : text)})";
    }

    /// <summary>A body stream without a length, so that it is sent chunked, without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] body) : MemoryStream(body)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>
/// Seeded malformed JSON bodies made from a valid one, each breaking one thing, with what the services answer
/// (ServiceDefaults' reasons for bodies that cannot be read; the caller adds its own rules): text cut short, random
/// bytes, a field holding a value of another kind or out of its range, and requests wrong as a whole (empty, null,
/// another content type, over the size limit).
/// </summary>
public sealed class MalformedJson(string validBody, IReadOnlyList<JsonField> fields)
{
    public const string Json = "application/json";
    public const string NotJson = "is not valid JSON at line 1, position ";

    /// <summary>Values of another kind than each kind's own.</summary>
    private static readonly Dictionary<JsonFieldKind, string[]> OtherKinds = new()
    {
        [JsonFieldKind.Text] = ["5", "-1.5", "true", "false", "[]", "{}", """["a"]""", """{"a":1}"""],
        [JsonFieldKind.Number] = ["\"abc\"", "\"12,5\"", "\"\"", "true", "[]", "{}", """[1]"""],
        [JsonFieldKind.WholeNumber] = ["3.5", "\"x\"", "1e3", "true", "[]", "{}"],
        [JsonFieldKind.Date] = ["5", "\"yesterday\"", "\"2026-13-45\"", "\"01/05/2026\"", "\"\"", "true", "[]", "{}"],
        [JsonFieldKind.Enum] = ["\"Spaceship\"", "7", "\"7\"", "\"\"", "true", "[]", "{}"],
        [JsonFieldKind.Boolean] = ["\"yes\"", "1", "[]", "{}"],
    };

    /// <summary>Numbers of the right kind that do not fit.</summary>
    private static readonly Dictionary<JsonFieldKind, string[]> OutOfRangeValues = new()
    {
        [JsonFieldKind.Number] = ["1e999", "-1e999", "79228162514264337593543950336"],
        [JsonFieldKind.WholeNumber] = ["99999999999", "-99999999999", "2147483648"],
    };

    /// <summary>What ServiceDefaults answers for a value of another kind in a field of this kind.</summary>
    public static string Expectation(JsonField field) => field.Kind switch
    {
        JsonFieldKind.Text => "must be a string",
        JsonFieldKind.Number => "must be a number",
        JsonFieldKind.WholeNumber => "must be a whole number from -2147483648 to 2147483647",
        JsonFieldKind.Date => "must be a date (yyyy-MM-dd)",
        JsonFieldKind.Enum => "must be one of: " + string.Join(", ", field.EnumNames),
        JsonFieldKind.Boolean => "must be true or false",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>The valid body cut short: never JSON, since every cut leaves the object open.</summary>
    public MalformedRequest Truncated(Random random)
    {
        var cut = validBody[..random.Next(1, validBody.Length - 1)];
        return new MalformedRequest("cut short", Encoding.UTF8.GetBytes(cut), Json, 400, "body", NotJson);
    }

    /// <summary>
    /// Random bytes: text that is not JSON, or now and then text that starts with a JSON value of another kind than an
    /// object (a <c>[</c>, a digit), which the serializer refuses as such before reading on.
    /// </summary>
    public static MalformedRequest RandomBytes(Random random)
    {
        while (true)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            switch (FirstToken(bytes))
            {
                case null:
                    return new MalformedRequest("random bytes", bytes, Json, 400, "body", "is not valid JSON at line ");
                case JsonTokenType.StartObject when !IsJson(bytes):
                    return new MalformedRequest("random bytes", bytes, Json, 400, "body", "is not valid JSON at line ");
                case JsonTokenType.StartObject:
                    continue;   // a valid object by chance: not malformed
                default:
                    return new MalformedRequest("random bytes", bytes, Json, 400, "body", "must be a JSON object");
            }
        }
    }

    /// <summary>The first token of the text; null when even that cannot be read.</summary>
    private static JsonTokenType? FirstToken(byte[] bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock: true, state: default);
            return reader.Read() ? reader.TokenType : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>One field holding a value of another JSON kind (a string for a number, a number for a date, an unknown enum name).</summary>
    public MalformedRequest WrongKind(Random random)
    {
        var field = fields[random.Next(fields.Count)];
        var values = OtherKinds[field.Kind];
        var value = values[random.Next(values.Length)];
        return With($"{field.Name} = {value}", field.Name, value, 400, Expectation(field));
    }

    /// <summary>A number field holding a number its type cannot hold (1e999 for money, 99999999999 for a whole number).</summary>
    public MalformedRequest OutOfRange(Random random)
    {
        var numeric = fields.Where(f => OutOfRangeValues.ContainsKey(f.Kind)).ToList();
        if (numeric.Count == 0)
            throw new InvalidOperationException("The body has no number field.");
        var field = numeric[random.Next(numeric.Count)];
        var values = OutOfRangeValues[field.Kind];
        var value = values[random.Next(values.Length)];
        var reason = field.Kind == JsonFieldKind.Number ? "must be a number from -79228162514264337593543950335 to 79228162514264337593543950335" : Expectation(field);
        return With($"{field.Name} = {value}", field.Name, value, 400, reason);
    }

    /// <summary>The valid body with one field set to <paramref name="rawJson"/> (null: the field removed), and the answer expected.</summary>
    public MalformedRequest With(string description, string field, string? rawJson, int status, string reason, string? expectedField = null)
    {
        var body = JsonNode.Parse(validBody)!.AsObject();
        if (rawJson is null)
            body.Remove(field);
        else
            body[field] = JsonNode.Parse(rawJson);
        return new MalformedRequest(description, Encoding.UTF8.GetBytes(body.ToJsonString()), Json, status, expectedField ?? field, reason);
    }

    /// <summary>The valid body sent as is, where the service must refuse it for another reason (an unknown id, a stale version).</summary>
    public MalformedRequest Valid(string description, int status, string reason) =>
        new(description, Encoding.UTF8.GetBytes(validBody), Json, status, null, reason);

    /// <summary>Requests wrong as a whole: no body, a JSON null, an array, another content type, a body over the size limit.</summary>
    public IEnumerable<MalformedRequest> WholeRequest(long maxBodyBytes)
    {
        yield return new MalformedRequest("empty body", [], Json, 400, "body", "is empty; it must be a JSON object");
        yield return new MalformedRequest("null", "null"u8.ToArray(), Json, 400, "body", "must be a JSON object, not null");
        yield return new MalformedRequest("an array", "[]"u8.ToArray(), Json, 400, "body", "must be a JSON object");
        yield return new MalformedRequest("a string", "\"text\""u8.ToArray(), Json, 400, "body", "must be a JSON object");
        yield return new MalformedRequest("whitespace", "   "u8.ToArray(), Json, 400, "body", NotJson);
        yield return new MalformedRequest("sent as text/plain", Encoding.UTF8.GetBytes(validBody), "text/plain", 415, "Content-Type",
            "must be application/json (was 'text/plain')");
        yield return new MalformedRequest("sent as CSV", Encoding.UTF8.GetBytes(validBody), "text/csv", 415, "Content-Type",
            "must be application/json (was 'text/csv')");
        var huge = Encoding.UTF8.GetBytes($$"""{"padding":"{{new string('x', (int)maxBodyBytes)}}"}""");
        var tooLarge = $"is larger than the {maxBodyBytes} bytes this endpoint accepts";
        yield return new MalformedRequest("over the size limit", huge, Json, 413, "body", tooLarge);
        yield return new MalformedRequest("over the size limit, chunked", huge, Json, 413, "body", tooLarge, Chunked: true);
    }
}
