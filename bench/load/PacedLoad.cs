using System.Diagnostics;
using LoanRecovery.Bench.Pipeline;
using LoanRecovery.Simulator.Transport;

namespace LoanRecovery.Bench.Load;

/// <summary>What the services looked like at one moment of a phase.</summary>
public sealed record ServiceSample(double Seconds, IReadOnlyDictionary<string, int> QueueDepthByService, string DeepestQueue, int DeepestQueueDepth,
    int UnsentOutbox, IReadOnlyDictionary<string, double?> MemoryMiB, IReadOnlyDictionary<string, double> CpuCores, double MachineBusyShare);

/// <summary>One phase of offered load: when each payment was published and when its loan's strategy was heard (Stopwatch ticks).</summary>
public sealed record PhaseRecord(string Name, double OfferedRate, long StartedAt, double PublishSeconds, long[] PublishedAt, long?[] HeardAt,
    IReadOnlyList<ServiceSample> Samples);

/// <summary>
/// Publishes one missed instalment per loan at a fixed rate (open loop: each publish fires at its time whatever the
/// pipeline is doing, as core banking would), and samples the services meanwhile: queue depth per service (management API),
/// unsent outbox rows, each process's resident memory and CPU, the machine's CPU.
/// </summary>
public sealed class PacedLoad(CoreBankingPublisher publisher, StrategyAssignedTimer heard, BacklogSampler backlog, ServiceProcesses services)
{
    public async Task<PhaseRecord> RunAsync(string name, IReadOnlyList<(string LoanId, (string Id, object Body) Payment)> payments, double rate,
        TimeSpan sampleEvery, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var publishedAt = new long[payments.Count];
        var samples = new List<ServiceSample>();
        var started = Stopwatch.GetTimestamp();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(started, sampleEvery, samples, sampling.Token);

        var pending = new List<Task>(payments.Count);
        for (var i = 0; i < payments.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellationToken);
            publishedAt[i] = Stopwatch.GetTimestamp();
            pending.Add(publisher.PublishAsync("payment", [payments[i].Payment], cancellationToken));
        }
        var publishSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(pending);
        await heard.WaitForAsync(payments.Select(p => p.LoanId).ToArray(), quiet, cancellationToken);
        await sampling.CancelAsync();
        await sampler;
        return new PhaseRecord(name, rate, started, publishSeconds, publishedAt, [.. payments.Select(p => heard.FirstHeard(p.LoanId))], samples);
    }

    private async Task SampleAsync(long started, TimeSpan every, List<ServiceSample> samples, CancellationToken stop)
    {
        var cpuBefore = services.CpuSeconds();
        var machine = new MachineCpu();
        var last = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(last, now).TotalSeconds;
            var cpuNow = services.CpuSeconds();
            var machineUse = machine.Stop();
            machine = new MachineCpu();
            last = now;
            BacklogSample queues;
            try
            {
                queues = await backlog.SampleAsync(Stopwatch.GetElapsedTime(started, now).TotalSeconds, stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or Npgsql.NpgsqlException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                continue;   // a look that failed on a loaded machine is left out; the next one is on time
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var byService = queues.Queues.GroupBy(q => ServiceOf(q.Key)).ToDictionary(g => g.Key, g => g.Sum(q => q.Value));
            var deepest = queues.Queues.OrderByDescending(q => q.Value).FirstOrDefault();
            samples.Add(new ServiceSample(queues.Seconds, byService, deepest.Key ?? "-", deepest.Value, queues.Outboxes.Values.Sum(),
                services.ResidentMemoryMiB(),
                cpuNow.ToDictionary(c => c.Key, c => (c.Value - cpuBefore[c.Key]) / wall),
                machineUse.MachineBusyShare));
            cpuBefore = cpuNow;
        }
    }

    /// <summary>Queues are named after the service that consumes them (ingestion-…, risk-scoring-…); anything else is "other".</summary>
    public static string ServiceOf(string queue) =>
        ServiceProcesses.Pipeline.FirstOrDefault(s => queue.StartsWith(QueuePrefix(s.Name), StringComparison.Ordinal))?.Name ?? "other";

    private static string QueuePrefix(string serviceName) =>
        string.Concat(serviceName.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())) + "-";
}
