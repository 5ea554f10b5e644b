namespace LoanRecovery.Dashboard.Charts;

/// <summary>Recovery statuses in a fixed order and in words.</summary>
public static class RecoveryStatusNames
{
    public static readonly string[] Order = ["FullyRecovered", "PartiallyRecovered", "WrittenOff"];

    public static string Words(string status) => status switch
    {
        "FullyRecovered" => "Fully recovered",
        "PartiallyRecovered" => "Partially recovered",
        "WrittenOff" => "Written off",
        _ => status,
    };

    public static IEnumerable<string> Present(IEnumerable<string> statuses)
    {
        var present = statuses.Distinct().ToList();
        return Order.Where(present.Contains).Concat(present.Except(Order).OrderBy(s => s, StringComparer.Ordinal));
    }
}
