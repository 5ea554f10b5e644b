using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.Ml.Calibration;

/// <summary>A reliability table (calibration curve) with its expected calibration error.</summary>
public sealed record ReliabilityTable(IReadOnlyList<ReliabilityBin> Bins, double Ece, int Rows)
{
    /// <summary>Equal-width bins over [0, 1] of probabilities against 0/1 outcomes.</summary>
    public static ReliabilityTable Build(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, int bins = Metrics.DefaultCalibrationBins)
    {
        var table = Metrics.ReliabilityBins(probabilities, labels, bins);
        return new ReliabilityTable(table, Metrics.Ece(probabilities, labels, bins), probabilities.Length);
    }
}

/// <summary>Creates calibrators by name from fitted data or from their JSON shape.</summary>
public static class Calibrators
{
    public static ICalibrator Fit(string kind, ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels) => kind switch
    {
        IsotonicCalibrator.KindName => IsotonicCalibrator.Fit(probabilities, labels),
        PlattCalibrator.KindName => PlattCalibrator.Fit(probabilities, labels),
        _ => throw new ArgumentException($"Unknown calibration '{kind}'; expected '{IsotonicCalibrator.KindName}' or '{PlattCalibrator.KindName}'.", nameof(kind)),
    };

    public static ICalibrator FromData(CalibrationData data) => data.Kind switch
    {
        IsotonicCalibrator.KindName => IsotonicCalibrator.FromData(data),
        PlattCalibrator.KindName => PlattCalibrator.FromData(data),
        _ => throw new ArgumentException($"Unknown calibration kind '{data.Kind}'; expected '{IsotonicCalibrator.KindName}' or '{PlattCalibrator.KindName}'."),
    };
}
