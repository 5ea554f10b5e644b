using System.Globalization;

namespace LoanRecovery.ServiceDefaults;

/// <summary>Durations as recorded reasons give them.</summary>
public static class Durations
{
    /// <summary>Whole days from a day up ("91 days"); below a day, as a clock ("0:06:00"), which is what shortened bench and test clocks run at.</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} days" : span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
}
