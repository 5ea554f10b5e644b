using System.Diagnostics;
using System.Globalization;
using LoanRecovery.Testing;

namespace LoanRecovery.Bench.Load;

/// <summary>One service of the pipeline as this benchmark runs it: its own process, its project, its port, its database role.</summary>
public sealed record ServiceSpec(string Name, string Project, int Port, string DatabaseRole);

/// <summary>
/// The five services as separate processes, started from their Release builds the way <c>run.sh</c> starts them (content
/// root = project folder), but on a throw-away database and virtual host and with production messaging settings. Separate
/// processes are what lets the benchmark read each service's memory (resident set, <c>/proc/&lt;pid&gt;/status</c>).
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    public static readonly ServiceSpec[] Pipeline =
    [
        new("Ingestion", "services/Ingestion/LoanRecovery.Ingestion.csproj", 5201, "ingestion"),
        new("Segmentation", "services/Segmentation/LoanRecovery.Segmentation.csproj", 5202, "segmentation"),
        new("RiskScoring", "services/RiskScoring/LoanRecovery.RiskScoring.csproj", 5203, "risk"),
        new("StrategyAssignment", "services/StrategyAssignment/LoanRecovery.StrategyAssignment.csproj", 5204, "strategy"),
        new("PerformanceTracking", "services/PerformanceTracking/LoanRecovery.PerformanceTracking.csproj", 5205, "performance"),
    ];

    private readonly List<(ServiceSpec Spec, Process Process)> _running = [];
    private readonly string _logDirectory;

    private ServiceProcesses(string logDirectory) => _logDirectory = logDirectory;

    public IReadOnlyList<ServiceSpec> Services => _running.Select(r => r.Spec).ToList();

    public Uri UrlOf(string name) => new($"http://127.0.0.1:{_running.Single(r => r.Spec.Name == name).Spec.Port}");

    public static async Task<ServiceProcesses> StartAsync(ThrowawayDatabase database, ThrowawayVirtualHost virtualHost, string signingKey,
        string logDirectory, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logDirectory);
        var processes = new ServiceProcesses(logDirectory);
        foreach (var spec in Pipeline)
            processes._running.Add((spec, processes.Start(spec, database, virtualHost, signingKey)));
        foreach (var (spec, process) in processes._running)
            await WaitReadyAsync(spec, process, readyTimeout, cancellationToken);
        return processes;
    }

    /// <summary>Each running service's resident memory in MiB (VmRSS), or null for one that has exited.</summary>
    public IReadOnlyDictionary<string, double?> ResidentMemoryMiB() =>
        _running.ToDictionary(r => r.Spec.Name, r => r.Process.HasExited ? null : ReadVmRssMiB(r.Process.Id));

    /// <summary>Each service's CPU time so far, in seconds.</summary>
    public IReadOnlyDictionary<string, double> CpuSeconds() =>
        _running.ToDictionary(r => r.Spec.Name, r =>
        {
            r.Process.Refresh();
            return r.Process.HasExited ? double.NaN : r.Process.TotalProcessorTime.TotalSeconds;
        });

    public IReadOnlyList<string> Exited() => _running.Where(r => r.Process.HasExited).Select(r => r.Spec.Name).ToList();

    private Process Start(ServiceSpec spec, ThrowawayDatabase database, ThrowawayVirtualHost virtualHost, string signingKey)
    {
        var projectDirectory = Path.Combine(TestEnvironment.RepositoryRoot, Path.GetDirectoryName(spec.Project)!);
        var dll = Directory.GetFiles(Path.Combine(projectDirectory, "bin", "Release"), Path.GetFileNameWithoutExtension(spec.Project) + ".dll",
                SearchOption.AllDirectories)
            .FirstOrDefault(f => !f.Contains($"{Path.DirectorySeparatorChar}ref{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{spec.Name} is not built: no Release output under {projectDirectory}/bin (run.sh builds it)");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var url = $"http://127.0.0.1:{spec.Port}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["Urls"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Postgres__Host"] = TestEnvironment.PostgresHost,
            ["Postgres__Port"] = TestEnvironment.PostgresPort.ToString(CultureInfo.InvariantCulture),
            ["Postgres__Database"] = database.Name,
            ["Postgres__Username"] = spec.DatabaseRole,
            ["Postgres__Password"] = spec.DatabaseRole + "-dev",
            ["RabbitMq__Host"] = "127.0.0.1",
            ["RabbitMq__Port"] = TestEnvironment.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = virtualHost.Name,
            ["RabbitMq__Username"] = TestEnvironment.RabbitUser,
            ["RabbitMq__Password"] = TestEnvironment.RabbitPassword,
            ["Auth__SigningKey"] = signingKey,
            // Warnings and errors only, as in the pipeline benchmark: an information line per message is a cost of its own.
            ["Logging__MinimumLevel"] = "Warning",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var other in Pipeline)
            environment[$"services__{other.Name.ToLowerInvariant()}__http__0"] = $"http://127.0.0.1:{other.Port}";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{spec.Name} did not start");
        var log = new StreamWriter(Path.Combine(_logDirectory, spec.Name.ToLowerInvariant() + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(ServiceSpec spec, Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{spec.Port}"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{spec.Name} exited with code {process.ExitCode} before it was ready (see its log)");
            try
            {
                if ((await http.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer while it starts: asked again.
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new TimeoutException($"{spec.Name} was not ready within {timeout.TotalSeconds:0} s");
    }

    private static double? ReadVmRssMiB(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
            return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        // "VmRSS:	  123456 kB"
        return line is null ? null : long.Parse(line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _running.Where(r => !r.Process.HasExited))
            process.Kill(entireProcessTree: true);
        foreach (var (_, process) in _running)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
