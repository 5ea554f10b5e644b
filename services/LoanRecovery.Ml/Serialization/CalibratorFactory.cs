using LoanRecovery.Ml.Calibration;

namespace LoanRecovery.Ml.Serialization;

/// <summary>Turns stored calibration parameters back into a calibrator.</summary>
public static class CalibratorFactory
{
    public static ICalibrator Create(CalibrationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Kind switch
        {
            "isotonic" => IsotonicCalibrator.FromData(data),
            "platt" => PlattCalibrator.FromData(data),
            _ => throw new ArgumentException($"Unknown calibration kind '{data.Kind}' (expected isotonic or platt)."),
        };
    }
}
