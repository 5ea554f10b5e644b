using System.Globalization;
using System.Text;

namespace LoanRecovery.Cli.Tests;

/// <summary>Runs the command line in-process and makes the CSV files the tests need.</summary>
internal static class Cli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lr-cli-" + Guid.NewGuid().ToString("N"));
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class TestData
{
    private static string S(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A credit-like file with a real, non-linear signal, a categorical column and missing incomes.</summary>
    public static string Credit(string path, int rows = 2000, int seed = 1)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("Loan_ID,Age,Income,Employment,Missed,Utilisation,Status\n");
        for (int i = 0; i < rows; i++)
        {
            int age = 21 + rng.Next(50);
            double income = Math.Round(20000 + rng.NextDouble() * 80000);
            string emp = rng.NextDouble() switch { < 0.6 => "Salaried", < 0.85 => "Self-Employed", _ => "Unemployed" };
            int missed = rng.Next(6);
            double util = rng.NextDouble();
            double z = -1.5 + 0.6 * missed + (emp == "Unemployed" ? 1.2 : 0) + 2 * (util - 0.5) * (util - 0.5) * 4 - income / 60000 + (age < 25 ? 0.8 : 0);
            bool bad = rng.NextDouble() < 1 / (1 + Math.Exp(-z));
            string inc = rng.NextDouble() < 0.1 ? "" : S(income);
            sb.Append($"L{i},{age},{inc},{emp},{missed},{S(util)},{(bad ? "Written Off" : "Fully Recovered")}\n");
        }
        System.IO.File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Two well separated blobs in (income, age) with very different scales.</summary>
    public static string Blobs(string path, int perBlob = 200, int seed = 2)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("Income,Age,Name\n");
        foreach (var (inc, age) in new[] { (25000.0, 30.0), (90000.0, 58.0) })
            for (int i = 0; i < perBlob; i++)
                sb.Append($"{S(inc + 2000 * Gauss(rng))},{S(age + 2 * Gauss(rng))},n{i}\n");
        System.IO.File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    public const string HonestExclude = "Borrower_ID,Loan_ID,Collection_Attempts,Collection_Method,Legal_Action_Taken";

    /// <summary>The shared seed file, or null when it is not beside the repository (and LR_SHARED_DATA does not point at it).</summary>
    public static string? SeedFile()
    {
        var env = Environment.GetEnvironmentVariable("LR_SHARED_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            var p = System.IO.Path.Combine(env, "loan-recovery.csv");
            return System.IO.File.Exists(p) ? p : null;
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "LoanRecovery.sln"))) dir = dir.Parent;
        if (dir?.Parent is null) return null;
        var seed = System.IO.Path.Combine(dir.Parent.FullName, "shared", "data", "loan-recovery.csv");
        return System.IO.File.Exists(seed) ? seed : null;
    }
}
