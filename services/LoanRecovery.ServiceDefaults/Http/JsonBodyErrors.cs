using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// Turns what System.Text.Json says about a body it could not read into the field at fault, by its API name
/// (<c>$.document.legalAbove</c> becomes <c>document.legalAbove</c>), and why: "must be a number", "must be one of: …",
/// or, for text that is not JSON at all, <c>body</c> "is not valid JSON at line 1, position 17 …".
/// </summary>
public static class JsonBodyErrors
{
    public const string Body = "body";

    /// <param name="error">The serializer's exception (the inner exception of the framework's bad-request exception).</param>
    /// <param name="bodyType">The type the endpoint reads its body into; null when not known (the reasons are then less specific).</param>
    /// <param name="options">The serializer options the endpoint reads with (their contract gives the API's field names).</param>
    public static RequestError Describe(JsonException error, Type? bodyType, JsonSerializerOptions options)
    {
        var (field, fieldType) = Resolve(error.Path, bodyType, options);
        // The reader's own exception (inner, or thrown as it is) means the text is not JSON; the serializer's means it is
        // JSON whose values do not fit the type.
        if ((FindInner<JsonException>(error) ?? (error.GetType() != typeof(JsonException) ? error : null)) is { } syntax)
            return NotJson(error, syntax, field);
        if (FindInner<DecoderFallbackException>(error) is not null)
            return new RequestError(field ?? Body, "is not valid UTF-8 text");
        if (field is null)
        {
            // The body as a whole has the wrong shape: an array, a string or a number where an object is read.
            if (fieldType is null || HasRequiredMembers(fieldType, options))
                return new RequestError(Body, WithoutPosition(error.Message), "does not have the expected shape");
            return new RequestError(Body, ValueExpectations.Of(fieldType));
        }
        if (fieldType is null)
            return new RequestError(field, $"cannot be read: {WithoutPosition(error.Message)}", "cannot be read");
        // A FormatException or OverflowException means the JSON kind was right but the value does not fit the type
        // (1e999 for a decimal, 3.5 for a whole number, a string that is not a date).
        return new RequestError(field, error.InnerException is FormatException or OverflowException
            ? ValueExpectations.OfOutOfRange(fieldType)
            : ValueExpectations.Of(fieldType));
    }

    /// <summary>Text that is not JSON: where the reader stopped, and the reader's own explanation.</summary>
    private static RequestError NotJson(JsonException error, JsonException reader, string? field)
    {
        var where = error.LineNumber is { } line && error.BytePositionInLine is { } position
            ? $" at line {line + 1}, position {position + 1}"
            : "";
        var within = field is null ? "" : $" (in {field})";
        var logSafe = $"is not valid JSON{where}{within}";
        return new RequestError(Body, $"{logSafe}: {WithoutPosition(reader.Message)}", logSafe);
    }

    /// <summary>
    /// The API name of the field a JSON path points to, and its type: each property segment is looked up in the type's
    /// JSON contract (so the name is the one the API documents), each index steps into the element type.
    /// Null field for the root (<c>$</c>).
    /// </summary>
    public static (string? Field, Type? Type) Resolve(string? path, Type? bodyType, JsonSerializerOptions options)
    {
        var segments = JsonPathSegments.Parse(path);
        if (segments is null)
            return (null, null);
        var name = new StringBuilder();
        var current = bodyType;
        foreach (var segment in segments)
        {
            var contract = current is null ? null : ContractOf(current, options);
            if (segment.Index is { } index)
            {
                name.Append('[').Append(index).Append(']');
                current = contract?.ElementType;
                continue;
            }
            var property = contract?.Kind == JsonTypeInfoKind.Object
                ? contract.Properties.FirstOrDefault(p => string.Equals(p.Name, segment.Name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (name.Length > 0)
                name.Append('.');
            name.Append(property?.Name ?? segment.Name);
            current = contract?.Kind == JsonTypeInfoKind.Dictionary ? contract.ElementType : property?.PropertyType;
        }
        return (name.Length == 0 ? null : name.ToString(), current);
    }

    private static JsonTypeInfo? ContractOf(Type type, JsonSerializerOptions options)
    {
        // A type the serializer cannot describe only makes the reason less specific; the request is refused either way.
        try
        {
            return options.GetTypeInfo(type);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static bool HasRequiredMembers(Type type, JsonSerializerOptions options) =>
        ContractOf(type, options) is { Kind: JsonTypeInfoKind.Object } contract && contract.Properties.Any(p => p.IsRequired);

    private static T? FindInner<T>(Exception error) where T : Exception
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is T match)
                return match;
        return null;
    }

    /// <summary>The serializer's message without the " Path: … | LineNumber: … | BytePositionInLine: …." it appends.</summary>
    private static string WithoutPosition(string message)
    {
        var cut = message.Length;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < cut)
                cut = at;
        }
        return message[..cut].Trim();
    }
}

/// <summary>One step of a System.Text.Json path: a property name or an array index.</summary>
public readonly record struct JsonPathSegment(string Name, int? Index);

/// <summary>Reads the paths System.Text.Json reports: <c>$</c>, <c>$.a.b</c>, <c>$.list[2]</c>, <c>$['odd name']</c>.</summary>
public static class JsonPathSegments
{
    /// <returns>The segments after <c>$</c>; null when the path is missing or not in that form.</returns>
    public static IReadOnlyList<JsonPathSegment>? Parse(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
            return null;
        var segments = new List<JsonPathSegment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[')
                    end++;
                segments.Add(new JsonPathSegment(path[(i + 1)..end], null));
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                    return null;
                segments.Add(new JsonPathSegment(path[(i + 2)..end], null));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index))
                    return null;
                segments.Add(new JsonPathSegment($"[{index}]", index));
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return segments;
    }
}
