using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>What a field of a given .NET type must hold, in the words an API caller reads: "must be a number".</summary>
public static class ValueExpectations
{
    public static string Of(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
            return $"must be one of: {string.Join(", ", Enum.GetNames(t))}";
        if (t == typeof(string) || t == typeof(char))
            return "must be a string";
        if (t == typeof(bool))
            return "must be true or false";
        if (WholeNumberRange(t) is var (min, max))
            return $"must be a whole number from {min} to {max}";
        if (t == typeof(decimal) || t == typeof(double) || t == typeof(float))
            return "must be a number";
        if (t == typeof(DateOnly))
            return "must be a date (yyyy-MM-dd)";
        if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
            return "must be a date and time (ISO 8601, e.g. 2026-05-01T09:30:00Z)";
        if (t == typeof(TimeOnly))
            return "must be a time of day (HH:mm:ss)";
        if (t == typeof(TimeSpan))
            return "must be a duration (d.hh:mm:ss)";
        if (t == typeof(Guid))
            return "must be a GUID (e.g. 0f8fad5b-d9cb-469f-a165-70867728950e)";
        if (t == typeof(JsonElement) || t == typeof(JsonNode) || t == typeof(object))
            return "must be JSON";
        if (typeof(IDictionary).IsAssignableFrom(t) || t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            return "must be a JSON object";
        if (typeof(IEnumerable).IsAssignableFrom(t))
            return "must be a JSON array";
        return "must be a JSON object";
    }

    /// <summary>
    /// The same for a value of the right JSON kind that does not fit the type (a number too large for a decimal, a
    /// fraction for a whole number): only numbers have a range to state.
    /// </summary>
    public static string OfOutOfRange(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(decimal)
            ? $"must be a number from {decimal.MinValue.ToString(CultureInfo.InvariantCulture)} to {decimal.MaxValue.ToString(CultureInfo.InvariantCulture)}"
            : Of(type);
    }

    private static (string Min, string Max)? WholeNumberRange(Type t)
    {
        if (t == typeof(int)) return Range(int.MinValue, int.MaxValue);
        if (t == typeof(long)) return Range(long.MinValue, long.MaxValue);
        if (t == typeof(short)) return Range(short.MinValue, short.MaxValue);
        if (t == typeof(byte)) return Range(byte.MinValue, byte.MaxValue);
        if (t == typeof(sbyte)) return Range(sbyte.MinValue, sbyte.MaxValue);
        if (t == typeof(uint)) return Range(uint.MinValue, uint.MaxValue);
        if (t == typeof(ulong)) return Range(ulong.MinValue, ulong.MaxValue);
        if (t == typeof(ushort)) return Range(ushort.MinValue, ushort.MaxValue);
        return null;
    }

    private static (string, string) Range<T>(T min, T max) where T : IFormattable =>
        (min.ToString(null, CultureInfo.InvariantCulture), max.ToString(null, CultureInfo.InvariantCulture));
}
