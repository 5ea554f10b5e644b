using System.Reflection;

namespace LoanRecovery.Ml.Serialization;

/// <summary>Turns stored calibration parameters back into a calibrator. Kinds map to
/// <c>LoanRecovery.Ml.Calibration.IsotonicCalibrator</c> and <c>PlattCalibrator</c>, each exposing
/// <c>public static T FromData(CalibrationData)</c>.</summary>
public static class CalibratorFactory
{
    public static ICalibrator Create(CalibrationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var typeName = data.Kind switch
        {
            "isotonic" => "LoanRecovery.Ml.Calibration.IsotonicCalibrator",
            "platt" => "LoanRecovery.Ml.Calibration.PlattCalibrator",
            _ => throw new ArgumentException($"Unknown calibration kind '{data.Kind}' (expected isotonic or platt)."),
        };
        var type = typeof(CalibratorFactory).Assembly.GetType(typeName)
            ?? throw new InvalidOperationException($"Calibrator type {typeName} is not available.");
        var method = type.GetMethod("FromData", BindingFlags.Public | BindingFlags.Static, [typeof(CalibrationData)])
            ?? throw new InvalidOperationException($"{typeName} has no public static FromData(CalibrationData).");
        try
        {
            return method.Invoke(null, [data]) as ICalibrator
                ?? throw new InvalidOperationException($"{typeName}.FromData did not return a calibrator.");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new ArgumentException(e.InnerException.Message, e.InnerException);
        }
    }
}
