using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Npgsql;

namespace LoanRecovery.Bench.Pipeline;

/// <summary>One look at where messages wait: each queue's depth (ready + unacknowledged) and each service's unsent outbox rows.</summary>
public sealed record BacklogSample(double Seconds, IReadOnlyDictionary<string, int> Queues, IReadOnlyDictionary<string, int> Outboxes)
{
    public bool Idle => Queues.Values.All(v => v == 0) && Outboxes.Values.All(v => v == 0);
}

/// <summary>The largest and the time-averaged backlog of one place over a phase.</summary>
public sealed record Backlog(string Where, int Max, double Mean);

/// <summary>
/// Samples the backlogs of the pipeline: queue depths from the RabbitMQ management API (which refreshes its counts every few
/// seconds, so a sample can be up to that old) and the unsent rows of every service's outbox (a stage whose relay lags keeps
/// them there, where no queue shows it).
/// </summary>
public sealed class BacklogSampler(string managementUrl, string user, string password, string virtualHost, string adminConnectionString,
    IReadOnlyList<string> schemas) : IDisposable
{
    private readonly HttpClient _management = CreateClient(managementUrl, user, password);

    public async Task<BacklogSample> SampleAsync(double seconds, CancellationToken cancellationToken)
    {
        var queues = await _management.GetFromJsonAsync<QueueInfo[]>(
            $"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name,messages", cancellationToken) ?? [];
        var outboxes = new Dictionary<string, int>();
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            foreach (var schema in schemas)
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT count(*) FROM {schema}.outbox_message WHERE sent_at IS NULL AND failed_at IS NULL", connection);
                outboxes[schema + " outbox"] = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
            }
        }
        return new BacklogSample(seconds,
            queues.Where(q => !q.Name.StartsWith("amq.gen", StringComparison.Ordinal)).ToDictionary(q => q.Name, q => q.Messages ?? 0),
            outboxes);
    }

    /// <summary>Samples every <paramref name="interval"/> until cancelled.</summary>
    public async Task<List<BacklogSample>> RecordAsync(TimeSpan interval, CancellationToken stop)
    {
        var samples = new List<BacklogSample>();
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                samples.Add(await SampleAsync(clock.Elapsed.TotalSeconds, stop));
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or Npgsql.NpgsqlException or TaskCanceledException)
            {
                // A sample that could not be taken (a loaded machine) is left out; the next one is taken on time.
            }
        }
        return samples;
    }

    /// <summary>Waits until nothing waits anywhere in <paramref name="consecutive"/> samples in a row (the counts lag).</summary>
    public async Task WaitIdleAsync(TimeSpan timeout, int consecutive, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var idle = 0;
        while (idle < consecutive)
        {
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"the pipeline still had work waiting after {timeout.TotalSeconds:0} s");
            try
            {
                idle = (await SampleAsync(0, cancellationToken)).Idle ? idle + 1 : 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or Npgsql.NpgsqlException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                idle = 0;   // a failed look proves nothing; look again
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Every place that held a backlog during the phase, largest first.</summary>
    public static IReadOnlyList<Backlog> Summarise(IReadOnlyList<BacklogSample> samples)
    {
        if (samples.Count == 0)
            return [];
        var places = samples.SelectMany(s => s.Queues.Keys.Concat(s.Outboxes.Keys)).Distinct();
        int Depth(BacklogSample s, string place) => s.Queues.TryGetValue(place, out var q) ? q : s.Outboxes.GetValueOrDefault(place);
        return places
            .Select(p => new Backlog(p, samples.Max(s => Depth(s, p)), samples.Average(s => Depth(s, p))))
            .Where(b => b.Max > 0)
            .OrderByDescending(b => b.Mean)
            .ToList();
    }

    public void Dispose() => _management.Dispose();

    private static HttpClient CreateClient(string url, string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    private sealed record QueueInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("messages")] int? Messages);
}
