namespace LoanRecovery.Ml;

/// <summary>Maps an uncalibrated probability to a calibrated one. Implementations live in <c>Calibration/</c>.</summary>
public interface ICalibrator
{
    /// <summary>"isotonic" or "platt".</summary>
    string Kind { get; }

    double Calibrate(double probability);

    /// <summary>Serializable form stored in model files.</summary>
    CalibrationData ToData();
}

/// <summary>Serializable calibrator parameters: isotonic uses <see cref="X"/>/<see cref="Y"/>, Platt uses <see cref="A"/>/<see cref="B"/>.</summary>
public sealed record CalibrationData(string Kind, double[]? X = null, double[]? Y = null, double? A = null, double? B = null);
