using System.Text.Json;

namespace LoanRecovery.Dashboard.Charts;

/// <summary>
/// One chart of a page: its ECharts option (built here from the services' aggregates, so the browser draws and does not
/// compute), the number of data points it shows, and a one-line reading of what it shows.
/// </summary>
public sealed record ChartSpec(string Id, string Title, string Reading, object Option, int Points)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string OptionJson => JsonSerializer.Serialize(Option, Json);

    public bool HasData => Points > 0;
}

/// <summary>Pieces every chart option shares.</summary>
internal static class Echarts
{
    public static object Category(IEnumerable<string> values, string? name = null) => new { type = "category", data = values.ToArray(), name };

    public static object Value(string? name = null, double? min = null, double? max = null) => new { type = "value", name, min, max };

    public static object Tooltip(string trigger = "axis") => new { trigger };

    public static object Legend() => new { top = 0, type = "scroll" };

    public static object Grid() => new { left = 70, right = 30, top = 40, bottom = 50, containLabel = true };

    public static double Round(double value, int digits = 4) => Math.Round(value, digits);

    public static double Round(decimal value) => (double)Math.Round(value, 2);

    public static string Percent(double share) => share.ToString("0.0%", System.Globalization.CultureInfo.InvariantCulture);

    public static string Money(double amount) => amount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
}
