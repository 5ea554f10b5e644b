using System.Globalization;

namespace LoanRecovery.Segmentation.Domain;

/// <summary>A range of k written <c>MIN..MAX</c>, e.g. <c>2..8</c>.</summary>
public static class KRangeText
{
    public const int MaxK = 50;

    public static bool TryParse(string text, out (int Min, int Max) range, out string error)
    {
        range = default;
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            error = $"must look like 2..8, not '{text}'";
            return false;
        }
        if (min < 2 || max < min || max > MaxK)
        {
            error = $"must satisfy 2 ≤ min ≤ max ≤ {MaxK}, not '{text}'";
            return false;
        }
        range = (min, max);
        error = "";
        return true;
    }
}
