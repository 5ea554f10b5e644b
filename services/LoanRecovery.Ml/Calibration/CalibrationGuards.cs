namespace LoanRecovery.Ml.Calibration;

internal static class CalibrationGuards
{
    public static void Check(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights)
    {
        if (probabilities.Length != labels.Length)
            throw new ArgumentException($"Probabilities ({probabilities.Length}) and labels ({labels.Length}) differ in length.");
        if (!weights.IsEmpty && weights.Length != labels.Length)
            throw new ArgumentException($"Weights ({weights.Length}) and labels ({labels.Length}) differ in length.");
        if (probabilities.Length == 0)
            throw new ArgumentException("Calibration needs held-out rows; there are none.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be 0 or 1.");
            if (!double.IsFinite(probabilities[i]))
                throw new ArgumentException($"Probability at row {i} is {probabilities[i]}; it must be finite.");
            if (!weights.IsEmpty && (!(weights[i] >= 0) || !double.IsFinite(weights[i])))
                throw new ArgumentException($"Weight at row {i} is {weights[i]}; weights must be finite and non-negative.");
        }
    }
}
