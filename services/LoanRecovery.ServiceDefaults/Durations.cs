using System.Globalization;

namespace LoanRecovery.ServiceDefaults;

/// <summary>Durations as recorded reasons give them.</summary>
public static class Durations
{
    /// <summary>Whole days from a day up ("91 days", "1 day"); below a day, as a clock ("0:06:00"), which is what shortened bench and test clocks run at.</summary>
    public static string Describe(TimeSpan span) => span.TotalDays switch
    {
        >= 2 => $"{(int)span.TotalDays} days",
        >= 1 => "1 day",
        _ => span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture),
    };
}
