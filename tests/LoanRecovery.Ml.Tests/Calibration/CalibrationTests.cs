using LoanRecovery.Ml.Calibration;
using LoanRecovery.Ml.Evaluation;

namespace LoanRecovery.Ml.Tests.Calibration;

public class Calibrators_on_held_out_data
{
    // True probability q; the model reports a distorted score p = q^3 (overconfident low, miscalibrated).
    private static (double[] Scores, int[] Labels) Miscalibrated(int n, int seed)
    {
        var rng = new Random(seed);
        var s = new double[n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double q = rng.NextDouble();
            y[i] = rng.NextDouble() < q ? 1 : 0;
            s[i] = Math.Pow(q, 3);
        }
        return (s, y);
    }

    [Fact]
    public void Isotonic_brings_expected_calibration_error_below_two_hundredths()
    {
        var (fitS, fitY) = Miscalibrated(20000, 1);
        var (testS, testY) = Miscalibrated(20000, 2);
        double before = Metrics.Ece(testS, testY);
        var cal = IsotonicCalibrator.Fit(fitS, fitY);
        var after = testS.Select(cal.Calibrate).ToArray();
        Assert.True(before > 0.1, $"ECE before {before}");
        Assert.True(Metrics.Ece(after, testY) < 0.02, $"ECE after {Metrics.Ece(after, testY)}");
        Assert.Equal(Auc.DeLong(testS, testY).Value, Auc.DeLong(after, testY).Value, 2);
    }

    [Fact]
    public void Platt_brings_expected_calibration_error_below_two_hundredths()
    {
        // A score that is a sigmoid distortion of the truth in log-odds (what Platt can undo): logit p = 2.5·logit q − 1.
        var rng = new Random(3);
        (double[], int[]) Make(int n)
        {
            var s = new double[n]; var y = new int[n];
            for (int i = 0; i < n; i++)
            {
                double z = rng.NextDouble() * 6 - 3;
                double q = 1 / (1 + Math.Exp(-z));
                y[i] = rng.NextDouble() < q ? 1 : 0;
                s[i] = 1 / (1 + Math.Exp(-(2.5 * z - 1)));
            }
            return (s, y);
        }
        var (fs, fy) = Make(20000);
        var (ts, ty) = Make(20000);
        var cal = PlattCalibrator.Fit(fs, fy);
        Assert.InRange(cal.A, 0.37, 0.43);   // undoes the ×2.5
        Assert.InRange(cal.B, 0.3, 0.5);     // and the −1 (0.4 = 1/2.5)
        double before = Metrics.Ece(ts, ty);
        double after = Metrics.Ece(ts.Select(cal.Calibrate).ToArray(), ty);
        Assert.True(before > 0.05, $"ECE before {before}");
        Assert.True(after < 0.02, $"ECE after {after}");
    }

    [Fact]
    public void Pool_adjacent_violators_gives_the_textbook_fit()
    {
        // Outcomes 1,0,1,0,1 at inputs 1..5: blocks {1,2}→0.5, {3,4}→0.5, {5}→1, the last held to 6/7 (5 rows).
        var cal = IsotonicCalibrator.Fit([0.1, 0.2, 0.3, 0.4, 0.5], [1, 0, 1, 0, 1]);
        Assert.Equal([0.1, 0.4, 0.5], cal.X);
        Assert.Equal([0.5, 0.5, 6.0 / 7], cal.Y);
        Assert.Equal(0.5, cal.Calibrate(0.0));
        Assert.Equal((0.5 + 6.0 / 7) / 2, cal.Calibrate(0.45), 12);
        Assert.Equal(6.0 / 7, cal.Calibrate(0.9));
    }

    [Fact]
    public void Isotonic_never_claims_certainty_from_a_small_sample()
    {
        // Ten negatives then ten positives: plain PAV would map to exactly 0 and 1.
        var s = Enumerable.Range(0, 20).Select(i => i / 20.0).ToArray();
        var y = Enumerable.Range(0, 20).Select(i => i < 10 ? 0 : 1).ToArray();
        var cal = IsotonicCalibrator.Fit(s, y);
        Assert.Equal(1.0 / 22, cal.Calibrate(0.0), 12);
        Assert.Equal(21.0 / 22, cal.Calibrate(1.0), 12);
        Assert.True(double.IsFinite(Metrics.LogLoss([cal.Calibrate(0.0)], [1])));
    }

    [Fact]
    public void Calibrators_are_monotone()
    {
        var (s, y) = Miscalibrated(3000, 4);
        foreach (ICalibrator cal in new ICalibrator[] { IsotonicCalibrator.Fit(s, y), PlattCalibrator.Fit(s, y) })
        {
            double prev = -1;
            for (double p = 0; p <= 1; p += 0.001)
            {
                double c = cal.Calibrate(p);
                Assert.InRange(c, 0, 1);
                Assert.True(c >= prev - 1e-15, cal.Kind);
                prev = c;
            }
        }
    }

    [Fact]
    public void Round_trip_through_calibration_data_is_exact()
    {
        var (s, y) = Miscalibrated(2000, 5);
        foreach (ICalibrator cal in new ICalibrator[] { IsotonicCalibrator.Fit(s, y), PlattCalibrator.Fit(s, y) })
        {
            var back = Calibrators.FromData(cal.ToData());
            Assert.Equal(cal.Kind, back.Kind);
            foreach (var p in s.Take(200)) Assert.Equal(cal.Calibrate(p), back.Calibrate(p));
        }
    }

    [Fact]
    public void Bad_calibration_data_is_refused_with_a_reason()
    {
        Assert.Contains("non-decreasing", Assert.Throws<ArgumentException>(() =>
            IsotonicCalibrator.FromData(new CalibrationData("isotonic", [0.1, 0.2], [0.6, 0.3]))).Message);
        Assert.Contains("'a' and 'b'", Assert.Throws<ArgumentException>(() =>
            PlattCalibrator.FromData(new CalibrationData("platt", A: 1))).Message);
        Assert.Contains("Unknown calibration kind", Assert.Throws<ArgumentException>(() =>
            Calibrators.FromData(new CalibrationData("beta"))).Message);
    }

    [Fact]
    public void Reliability_table_reports_bins_and_ece()
    {
        var (s, y) = Miscalibrated(5000, 6);
        var t = ReliabilityTable.Build(s, y, 10);
        Assert.Equal(10, t.Bins.Count);
        Assert.Equal(5000, t.Bins.Sum(b => b.Count));
        Assert.Equal(Metrics.Ece(s, y), t.Ece, 12);
        // The cubed score under-predicts: observed rate above mean prediction in the low bins.
        Assert.True(t.Bins[0].ObservedRate > t.Bins[0].MeanPredicted);
    }
}
