using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LoanRecovery.Testing;
using Npgsql;
using RabbitMQ.Client;

namespace LoanRecovery.FaultTests;

/// <summary>
/// Counts, from the services' own tables, what became of the payments a test sent: recorded (Ingestion), scored
/// (RiskScoring, every delinquent payment), strategies (StrategyAssignment heard every score; PerformanceTracking opened an
/// episode for every strategy) and outcomes (every closed episode's outcome reached RiskScoring and Segmentation). With the
/// <see cref="EventTap"/> it tells a re-delivery of one message (absorbed by the inboxes: recovered) from an effect
/// produced twice (duplicated), and it reads the <c>_error</c> queues for parked messages.
/// </summary>
public sealed class PipelineChecker(ThrowawayDatabase database, ThrowawayVirtualHost virtualHost, EventTap tap)
{
    private static readonly HttpClient Management = CreateManagementClient();

    /// <summary>Waits until the pipeline is quiet (see <see cref="IsSettledAsync"/>) and returns the counts.</summary>
    public async Task<PipelineReport> SettleAndCountAsync(IReadOnlyCollection<string> paymentsSent, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        PipelineReport? previous = null;
        while (true)
        {
            var report = await CountAsync(paymentsSent);
            // Quiet means: nothing lost so far, nothing left to publish, no episode open, and the same counts (the tap's
            // deliveries included) as a moment ago, so that a straggling duplicate has had its chance to show.
            if (report.Lost == 0 && await IsSettledAsync() && previous is not null && previous.SameCountsAs(report))
                return report;
            if (DateTime.UtcNow > deadline)
                return report with { SettledWithin = false };
            previous = report.Lost == 0 ? report : null;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>No outbox row waits to be published in any schema and every episode is closed.</summary>
    public async Task<bool> IsSettledAsync()
    {
        var unsent = 0L;
        foreach (var schema in new[] { "ingestion", "segmentation", "risk", "strategy", "performance" })
            unsent += await ScalarAsync($"SELECT count(*) FROM {schema}.outbox_message WHERE sent_at IS NULL AND failed_at IS NULL");
        return unsent == 0 && await ScalarAsync("SELECT count(*) FROM performance.episode WHERE closed_at IS NULL") == 0;
    }

    public async Task<PipelineReport> CountAsync(IReadOnlyCollection<string> paymentsSent)
    {
        var heard = tap.Heard;
        var stages = new List<StageCount>();

        // Recorded: every payment sent is in Ingestion's ledger once.
        var recorded = await KeysAsync("SELECT payment_id FROM ingestion.payment");
        stages.Add(Stage("recorded", paymentsSent.Distinct().ToList(), recorded, heard, "PaymentRecorded"));

        // Scored: every delinquent payment has one score.
        var delinquent = await KeysAsync(
            "SELECT loan_id || '/' || payment_id FROM ingestion.payment WHERE days_past_due_after > 0 OR missed_payments_after > 0");
        var scored = await KeysAsync("SELECT loan_id || '/' || payment_id FROM risk.score");
        stages.Add(Stage("scored", delinquent, scored, heard, "RiskScored"));

        // Strategies: StrategyAssignment heard every score, no loan has two active strategies, no score made two strategies,
        // and PerformanceTracking opened one episode per strategy.
        var scoreIds = await KeysAsync("SELECT score_id::text FROM risk.score");
        var heardScores = await KeysAsync("SELECT score_id::text FROM strategy.score");
        var assignments = await KeysAsync("SELECT assignment_id::text FROM strategy.assignment");
        var episodes = await KeysAsync("SELECT assignment_id::text FROM performance.episode");
        var twiceActive = await ScalarAsync(
            "SELECT count(*) FROM (SELECT loan_id FROM strategy.assignment WHERE active GROUP BY loan_id HAVING count(*) > 1) d");
        var twiceFromOneScore = await ScalarAsync(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM strategy.assignment GROUP BY score_id) d");
        var strategies = Stage("strategies", assignments, episodes, heard, "StrategyAssigned");
        stages.Add(strategies with
        {
            Lost = strategies.Lost + scoreIds.Except(heardScores).Count(),
            Duplicated = strategies.Duplicated + (int)twiceActive + (int)twiceFromOneScore + (heardScores.Count - heardScores.Distinct().Count()),
        });

        // Outcomes: every closed episode has an outcome, and RiskScoring (training) and Segmentation both recorded it once.
        var closed = await KeysAsync("SELECT coalesce(outcome_id::text, 'missing:' || episode_id::text) FROM performance.episode WHERE closed_at IS NOT NULL");
        var trained = await KeysAsync("SELECT outcome_id::text FROM risk.training_example WHERE NOT historical");
        var segmented = await KeysAsync("SELECT outcome_id::text FROM segmentation.recovery_outcome WHERE NOT historical");
        var outcomes = Stage("outcomes", closed, trained, heard, "RecoveryOutcomeRecorded");
        stages.Add(outcomes with
        {
            Lost = outcomes.Lost + closed.Distinct().Except(segmented).Count(),
            Duplicated = outcomes.Duplicated + (segmented.Count - segmented.Distinct().Count()),
        });

        return new PipelineReport(paymentsSent.Count, stages, await ParkedAsync(), heard);
    }

    /// <summary>
    /// One stage: <paramref name="expected"/> keys should each have exactly one effect in <paramref name="effects"/>. Lost:
    /// expected keys without an effect. Duplicated: an effect row more than once, or the stage's event published under
    /// more than one message id for one key. Recovered: deliveries of a message id heard before (a re-publish or
    /// re-delivery) of a key that ended with one effect.
    /// </summary>
    private static StageCount Stage(string name, IReadOnlyList<string> expected, IReadOnlyList<string> effects, IReadOnlyList<HeardEvent> heard, string eventName)
    {
        var expectedSet = expected.ToHashSet();
        var effectCounts = effects.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var lost = expectedSet.Count(k => !effectCounts.ContainsKey(k));
        var duplicateRows = effectCounts.Values.Sum(n => n - 1);
        var events = heard.Where(h => h.Event == eventName).ToList();
        var idsPerKey = events.GroupBy(e => e.Key).Select(g => g.Select(e => e.MessageId).Distinct().Count());
        var duplicateEvents = idsPerKey.Sum(n => n - 1);
        var redelivered = events.GroupBy(e => e.MessageId).Sum(g => g.Count() - 1);
        return new StageCount(name, expectedSet.Count, effectCounts.Count, effects.Count, lost, duplicateRows + duplicateEvents, redelivered);
    }

    /// <summary>Messages parked in the virtual host's <c>_error</c> queues, by queue (read from the queues themselves, not the lagging statistics).</summary>
    public async Task<IReadOnlyDictionary<string, uint>> ParkedAsync()
    {
        var queues = await Management.GetFromJsonAsync<List<QueueName>>($"api/queues/{Uri.EscapeDataString(virtualHost.Name)}?columns=name") ?? [];
        var parked = new Dictionary<string, uint>();
        var errorQueues = queues.Select(q => q.Name).Where(n => n.EndsWith("_error", StringComparison.Ordinal)).ToList();
        if (errorQueues.Count == 0)
            return parked;
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = TestEnvironment.RabbitPort,
            VirtualHost = virtualHost.Name,
            UserName = TestEnvironment.RabbitUser,
            Password = TestEnvironment.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync("fault-test-checker");
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in errorQueues)
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            if (ok.MessageCount > 0)
                parked[queue] = ok.MessageCount;
        }
        return parked;
    }

    /// <summary>Why the first message of each non-empty <c>_error</c> queue was parked (its fault headers); the message stays parked.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ParkedReasonsAsync(IEnumerable<string> queues)
    {
        var reasons = new Dictionary<string, string>();
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = TestEnvironment.RabbitPort,
            VirtualHost = virtualHost.Name,
            UserName = TestEnvironment.RabbitUser,
            Password = TestEnvironment.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync("fault-test-checker");
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            if (await channel.BasicGetAsync(queue, autoAck: false) is not { } message)
                continue;
            reasons[queue] = $"{Header(message, "MT-Fault-ExceptionType")}: {Header(message, "MT-Fault-Message")}";
            await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true);
        }
        return reasons;
    }

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
            : null;

    private async Task<List<string>> KeysAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
            keys.Add(reader.GetString(0));
        return keys;
    }

    private Task<long> ScalarAsync(string sql) => database.ScalarAsync<long>(sql);

    private sealed record QueueName(string Name);

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitManagementUrl.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.RabbitUser}:{TestEnvironment.RabbitPassword}")));
        return client;
    }
}

/// <summary>What one stage did: keys expected, keys with an effect, effect rows, and lost, duplicated and recovered.</summary>
public sealed record StageCount(string Stage, int Expected, int Effects, int Rows, int Lost, int Duplicated, int Recovered);

/// <summary>The checker's counts for one run.</summary>
public sealed record PipelineReport(int PaymentsSent, IReadOnlyList<StageCount> Stages, IReadOnlyDictionary<string, uint> Parked, IReadOnlyList<HeardEvent> Events)
{
    /// <summary>The deliveries of one event type the tap heard.</summary>
    public IReadOnlyList<HeardEvent> Heard(string eventName) => Events.Where(e => e.Event == eventName).ToList();

    public bool SettledWithin { get; init; } = true;

    /// <summary>Per service, the deliveries its consumers finished that the broker had delivered before (never acknowledged).</summary>
    public IReadOnlyDictionary<string, int> Redelivered { get; init; } = new Dictionary<string, int>();

    public int Lost => Stages.Sum(s => s.Lost);
    public int Duplicated => Stages.Sum(s => s.Duplicated);

    /// <summary>Events published again under the same message id, and broker re-deliveries, all of which ended with one effect.</summary>
    public int Recovered => Stages.Sum(s => s.Recovered) + Redelivered.Values.Sum();
    public StageCount this[string stage] => Stages.Single(s => s.Stage == stage);

    public bool SameCountsAs(PipelineReport other) =>
        Events.Count == other.Events.Count && Stages.SequenceEqual(other.Stages) && Parked.Count == other.Parked.Count;

    /// <summary>The report as written to the test output: one line per stage, then the totals.</summary>
    public string Format(string fault)
    {
        var text = new StringBuilder();
        text.AppendLine($"fault: {fault}");
        text.AppendLine($"payments sent: {PaymentsSent}{(SettledWithin ? "" : "  (NOT SETTLED within the time allowed)")}");
        text.AppendLine($"{"stage",-12}{"expected",10}{"effects",10}{"rows",8}{"lost",7}{"duplicated",12}{"recovered",11}");
        foreach (var s in Stages)
            text.AppendLine($"{s.Stage,-12}{s.Expected,10}{s.Effects,10}{s.Rows,8}{s.Lost,7}{s.Duplicated,12}{s.Recovered,11}");
        text.AppendLine($"re-delivered by the broker and consumed: {(Redelivered.Values.Sum() == 0 ? "none" : string.Join(", ", Redelivered.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}")))}");
        text.AppendLine($"total: lost {Lost}, duplicated {Duplicated}, recovered {Recovered}; " +
            $"parked: {(Parked.Count == 0 ? "none" : string.Join(", ", Parked.Select(p => $"{p.Key} {p.Value}")))}");
        return text.ToString();
    }
}
