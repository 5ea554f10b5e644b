namespace LoanRecovery.Ml.Calibration;

/// <summary>
/// Platt scaling on the log-odds of the uncalibrated probability: calibrated = σ(a·logit(p) + b), fitted by
/// maximum likelihood on held-out data with Platt's smoothed targets and a Newton method with
/// backtracking (Lin, Lin and Weng, 2007).
/// </summary>
public sealed class PlattCalibrator : ICalibrator
{
    public const string KindName = "platt";
    /// <summary>Probabilities are clipped to [ε, 1 − ε] before taking log-odds.</summary>
    public const double ProbabilityEpsilon = 1e-12;
    private const int MaxIterations = 100;
    private const double MinStep = 1e-10;
    private const double GradientTolerance = 1e-8;

    public PlattCalibrator(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b))
            throw new ArgumentException("Platt parameters must be finite.");
        A = a;
        B = b;
    }

    public string Kind => KindName;
    public double A { get; }
    public double B { get; }

    public static double Logit(double p)
    {
        p = Math.Clamp(p, ProbabilityEpsilon, 1 - ProbabilityEpsilon);
        return Math.Log(p / (1 - p));
    }

    /// <summary>Fits on held-out probabilities and 0/1 outcomes.</summary>
    public static PlattCalibrator Fit(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        CalibrationGuards.Check(probabilities, labels, weights);
        var f = new double[probabilities.Length];
        for (int i = 0; i < f.Length; i++) f[i] = Logit(probabilities[i]);
        return FitOnLogOdds(f, labels, weights);
    }

    /// <summary>Fits σ(a·f + b) on raw scores <paramref name="logOdds"/>.</summary>
    public static PlattCalibrator FitOnLogOdds(ReadOnlySpan<double> logOdds, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        int n = logOdds.Length;
        double prior1 = 0, prior0 = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            if (labels[i] == 1) prior1 += w; else prior0 += w;
        }
        double hiTarget = (prior1 + 1) / (prior1 + 2), loTarget = 1 / (prior0 + 2);
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = labels[i] == 1 ? hiTarget : loTarget;

        // Minimise the cross-entropy of σ(a f + b) against t. Written with z = a f + b.
        double a = 1, b = Math.Log((prior1 + 1) / (prior0 + 1));
        double fval = Objective(logOdds, t, weights, a, b);
        const double sigma = 1e-12; // Hessian ridge
        for (int it = 0; it < MaxIterations; it++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (int i = 0; i < n; i++)
            {
                double w = weights.IsEmpty ? 1 : weights[i];
                double z = a * logOdds[i] + b;
                double p = Sigmoid(z);
                double d2 = p * (1 - p) * w;
                double d1 = (p - t[i]) * w;
                h11 += logOdds[i] * logOdds[i] * d2;
                h22 += d2;
                h21 += logOdds[i] * d2;
                g1 += logOdds[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < GradientTolerance * n && Math.Abs(g2) < GradientTolerance * n) break;
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * da + g2 * db;
            double step = 1;
            bool moved = false;
            while (step >= MinStep)
            {
                double na = a + step * da, nb = b + step * db;
                double nf = Objective(logOdds, t, weights, na, nb);
                if (nf < fval + 1e-4 * step * gd)
                {
                    a = na; b = nb; fval = nf; moved = true;
                    break;
                }
                step /= 2;
            }
            if (!moved) break;
        }
        return new PlattCalibrator(a, b);
    }

    public double Calibrate(double probability)
        => double.IsNaN(probability) ? probability : Sigmoid(A * Logit(probability) + B);

    public CalibrationData ToData() => new(KindName, A: A, B: B);

    public static PlattCalibrator FromData(CalibrationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!string.Equals(data.Kind, KindName, StringComparison.Ordinal))
            throw new ArgumentException($"Calibration kind '{data.Kind}' is not '{KindName}'.", nameof(data));
        if (data.A is not double a || data.B is not double b)
            throw new ArgumentException("Platt calibration needs 'a' and 'b'.", nameof(data));
        return new PlattCalibrator(a, b);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Objective(ReadOnlySpan<double> f, double[] t, ReadOnlySpan<double> weights, double a, double b)
    {
        double s = 0;
        for (int i = 0; i < f.Length; i++)
        {
            double z = a * f[i] + b;
            // −[t log σ(z) + (1 − t) log(1 − σ(z))] written stably.
            double loss = z >= 0 ? (1 - t[i]) * z + Math.Log(1 + Math.Exp(-z)) : -t[i] * z + Math.Log(1 + Math.Exp(z));
            s += (weights.IsEmpty ? 1 : weights[i]) * loss;
        }
        return s;
    }
}
