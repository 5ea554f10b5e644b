namespace LoanRecovery.Simulator.Domain;

/// <summary>What a random draw is for. Each purpose has its own stream, so adding draws to one never shifts another.</summary>
public enum Purpose
{
    Portfolio = 1,
    Latent = 2,
    PayFull = 10,
    Shock = 11,
    Partial = 12,
    PartialFraction = 13,
    Cure = 14,
    PaymentDay = 15,
    Response = 20,
    History = 30,
    Floor = 40,
}

/// <summary>
/// Counter-based random numbers: every draw is a pure function of (seed, loan, month, purpose). Replaying the same
/// borrowers under another policy therefore sees exactly the same luck (common random numbers).
/// </summary>
public static class Draws
{
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Key(int seed, int loan, int month, Purpose purpose, int extra = 0) =>
        Mix(Mix(Mix(Mix((ulong)(uint)seed) ^ (ulong)(uint)loan) ^ (ulong)(uint)(month + 100_000)) ^ (ulong)purpose) ^ (ulong)(uint)extra;

    /// <summary>Uniform on [0, 1).</summary>
    public static double Uniform(int seed, int loan, int month, Purpose purpose, int extra = 0) =>
        (Mix(Key(seed, loan, month, purpose, extra)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal.</summary>
    public static double Normal(int seed, int loan, int month, Purpose purpose, int extra = 0)
    {
        var u1 = 1.0 - Uniform(seed, loan, month, purpose, 2 * extra);
        var u2 = Uniform(seed, loan, month, purpose, 2 * extra + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>A sequential stream of draws for one loan and purpose (portfolio generation).</summary>
public sealed class DrawStream(int seed, int loan, Purpose purpose)
{
    private int _counter;

    public double NextDouble() => Draws.Uniform(seed, loan, 0, purpose, _counter++);

    public double NextNormal()
    {
        var value = Draws.Normal(seed, loan, 0, purpose, 1_000_000 + _counter);
        _counter++;
        return value;
    }

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    public int IntBetween(int min, int maxInclusive) => min + (int)Math.Floor(NextDouble() * (maxInclusive - min + 1));

    /// <summary>Picks a key with the given (positive, not necessarily normalised) weights, in the order given.</summary>
    public string Pick(IReadOnlyList<KeyValuePair<string, double>> weights)
    {
        var total = weights.Sum(w => w.Value);
        var u = NextDouble() * total;
        foreach (var (key, weight) in weights)
        {
            if (u < weight)
                return key;
            u -= weight;
        }
        return weights[^1].Key;
    }
}
