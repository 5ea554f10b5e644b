using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.Testing;

namespace LoanRecovery.StrategyAssignment.Tests;

/// <summary>
/// Thousands of seeded malformed requests against the work queue (claim, outcome, override): text that is not JSON,
/// values of the wrong kind, unknown enum names, out-of-range numbers, missing fields, negative money, over-long
/// strings, bodies over the size limit, wrong content types, unknown and malformed ids, stale versions. Each gets a
/// problem naming the field and the specific reason (400, 413, 415) or saying why the task or loan cannot be acted on
/// (404, 409); none of them changes anything; and the queue keeps working afterwards.
/// </summary>
public sealed class Malformed_work_queue_requests(StrategyHost service) : IClassFixture<StrategyHost>
{
    private const int Requests = 3000;
    private const string Officer = "officer-fz";
    private const string Loan = "FZ-LOAN";
    /// <summary>ServiceDefaults' default limit on a JSON body (<c>Http:MaxRequestBodyBytes</c>).</summary>
    private const long MaxJsonBodyBytes = 1024 * 1024;

    private static readonly string OutcomeNames = string.Join(", ", Enum.GetNames<TaskOutcome>());
    private static readonly string StrategyNames = string.Join(", ", Enum.GetNames<RecoveryStrategy>());

    /// <summary>A request to send: the kind of breakage (for the tally), the address and the body with its expected answer.</summary>
    private sealed record Attempt(string Kind, string Path, MalformedRequest Request);

    [Fact]
    public async Task Thousands_of_malformed_claims_outcomes_and_overrides_each_get_a_specific_problem_and_change_nothing()
    {
        await service.AssignAsync(StrategyHost.Score(Loan, "FZ-BORROWER", 0.6));
        var claimTask = await TaskIdAsync("Call");
        var outcomeTask = await TaskIdAsync("SettlementOffer");
        (await service.Http.PostAsJsonAsync($"/api/tasks/{outcomeTask}/claim", new { officer = Officer })).EnsureSuccessStatusCode();
        var tasksBefore = await TaskRowsAsync();
        var outboxBefore = await CountAsync("SELECT count(*) FROM strategy.outbox_message");
        var assignmentsBefore = await CountAsync("SELECT count(*) FROM strategy.assignment");
        var version = (await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{claimTask}")).GetProperty("version").GetInt32();

        var random = new Random(2026);
        var attempts = new List<Attempt>();
        var endpoints = new[] { Claims(claimTask, version), Outcomes(outcomeTask), Overrides() };
        foreach (var endpoint in endpoints)
            attempts.AddRange(endpoint.Bodies.WholeRequest(MaxJsonBodyBytes).Select(r => new Attempt("whole request", endpoint.Path, r)));
        for (var i = 0; i < Requests; i++)
        {
            // Each endpoint in turn, and each of its breakages in turn.
            var endpoint = endpoints[i % endpoints.Length];
            var generator = endpoint.Generators[i / endpoints.Length % endpoint.Generators.Length];
            var (at, request) = generator.Make(random);
            attempts.Add(new Attempt(generator.Kind, at ?? endpoint.Path, request));
        }

        var tally = new Dictionary<string, int>();
        foreach (var attempt in attempts)
        {
            using var response = await service.Http.PostAsync(attempt.Path, attempt.Request.Content());
            await ProblemAssert.RefusedAsync(response, attempt.Request);
            var key = $"{(int)response.StatusCode} {attempt.Kind}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key}: {t.Value}")));

        // Nothing was written: the tasks are as they were, no override, no new assignment, nothing in the outbox.
        Assert.Equal(Requests + endpoints.Sum(e => e.Bodies.WholeRequest(MaxJsonBodyBytes).Count()), tally.Values.Sum());
        Assert.Equal(tasksBefore, await TaskRowsAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM strategy.override_audit"));
        Assert.Equal(assignmentsBefore, await CountAsync("SELECT count(*) FROM strategy.assignment"));
        Assert.Equal(outboxBefore, await CountAsync("SELECT count(*) FROM strategy.outbox_message"));

        // Still up: a valid claim, outcome and override go through, and the outcome is published.
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsJsonAsync($"/api/tasks/{claimTask}/claim", new { officer = Officer, version })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsJsonAsync($"/api/tasks/{outcomeTask}/outcome",
            new { officer = Officer, outcome = "SettlementAccepted", amount = 1200.50m, note = "accepted after the fuzz" })).StatusCode);
        Assert.True(await Eventually.TrueWithinAsync(
            () => Task.FromResult(service.Completed.Messages.Any(m => m.GetProperty("taskId").GetString() == outcomeTask.ToString())), StrategyHost.Wait),
            "CollectionTaskCompleted was not published for the valid outcome");
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostAsJsonAsync($"/api/loans/{Loan}/overrides",
            new { strategy = "Reminder", reason = "Hardship review after the fuzz", officer = Officer })).StatusCode);
    }

    private async Task<Guid> TaskIdAsync(string kind) =>
        Guid.Parse((await service.TasksAsync($"loanId={Loan}&kind={kind}")).Single().GetProperty("taskId").GetString()!);

    private Task<long> CountAsync(string sql) => service.Database.ScalarAsync<long>(sql);

    /// <summary>Every task of the loan as one line of what a request could change.</summary>
    private async Task<List<string>> TaskRowsAsync() =>
        (await service.TasksAsync($"loanId={Loan}"))
        .Select(t => string.Join("|", new[] { "taskId", "status", "assignee", "outcome", "amount", "note", "promisedDate", "version" }
            .Select(p => t.GetProperty(p).ToString())))
        .Order()
        .ToList();

    /// <summary>A way to break a request: its name (for the tally) and what it sends (another address, or null for the endpoint's own).</summary>
    private sealed record Generator(string Kind, Func<Random, (string? Path, MalformedRequest Request)> Make);

    /// <summary>An endpoint of the queue, its valid body's breakages, and the ways to break its requests.</summary>
    private sealed record Endpoint(string Path, MalformedJson Bodies, Generator[] Generators);

    /// <summary>A breakage sent to the endpoint's own address.</summary>
    private static Generator Generic(string kind, Func<Random, MalformedRequest> make) => new(kind, r => (null, make(r)));

    /// <summary>The same request where the problem names no field: a 404 or 409 says why in its title.</summary>
    private static MalformedRequest Unfielded(MalformedRequest request) => request with { Field = null };

    private static Generator[] Breakages(MalformedJson bodies, bool hasNumber) =>
    [
        Generic("cut short", bodies.Truncated),
        Generic("random bytes", MalformedJson.RandomBytes),
        Generic("wrong kind", bodies.WrongKind),
        .. hasNumber ? [Generic("out of range", bodies.OutOfRange)] : Array.Empty<Generator>(),
    ];

    private static string Text(char c, int length) => JsonSerializer.Serialize(new string(c, length));

    /// <summary>Claims of an open task: every body broken, or a stale version, an unknown task, a malformed id.</summary>
    private static Endpoint Claims(Guid task, int version)
    {
        var path = $"/api/tasks/{task}/claim";
        var bodies = new MalformedJson($$"""{"officer":"{{Officer}}","version":{{version}}}""",
            [new JsonField("officer", JsonFieldKind.Text), new JsonField("version", JsonFieldKind.WholeNumber)]);
        Generator[] rules =
        [
            Generic("officer missing", _ => bodies.With("officer missing", "officer", null, 400, "The officer identifier is required")),
            Generic("officer blank", _ => bodies.With("officer blank", "officer", "\"   \"", 400, "The officer identifier is required")),
            Generic("officer too long", r => bodies.With("officer too long", "officer", Text('o', 101 + r.Next(5000)), 400,
                "The officer identifier is at most 100 characters")),
            Generic("stale version", r => Unfielded(bodies.With("stale version", "version", (version + 1 + r.Next(100)).ToString(), 409, "Task already taken"))),
            new("unknown task", _ => ($"/api/tasks/{Guid.NewGuid()}/claim", bodies.Valid("unknown task", 404, "No such task"))),
            new("malformed task id", r => ($"/api/tasks/{Uri.EscapeDataString(MalformedId(r))}/claim",
                bodies.Valid("malformed task id", 404, "No endpoint has the address"))),
        ];
        return new Endpoint(path, bodies, [.. Breakages(bodies, hasNumber: true), .. rules]);
    }

    /// <summary>Outcomes of a task claimed by <see cref="Officer"/>: every body broken, or another officer, an unknown task.</summary>
    private static Endpoint Outcomes(Guid task)
    {
        var path = $"/api/tasks/{task}/outcome";
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2)).ToString("yyyy-MM-dd");
        var bodies = new MalformedJson($$"""{"officer":"{{Officer}}","outcome":"Paid","promisedDate":null,"amount":150.25,"note":"paid by card"}""",
        [
            new JsonField("officer", JsonFieldKind.Text), new JsonField("outcome", JsonFieldKind.Enum, Enum.GetNames<TaskOutcome>()),
            new JsonField("promisedDate", JsonFieldKind.Date), new JsonField("amount", JsonFieldKind.Number), new JsonField("note", JsonFieldKind.Text),
        ]);
        var promise = new MalformedJson($$"""{"officer":"{{Officer}}","outcome":"PromiseToPay","promisedDate":"{{tomorrow}}","amount":500}""", []);
        Generator[] rules =
        [
            Generic("officer missing", _ => bodies.With("officer missing", "officer", null, 400, "The officer identifier is required")),
            Generic("officer too long", r => bodies.With("officer too long", "officer", Text('o', 101 + r.Next(3000)), 400,
                "The officer identifier is at most 100 characters")),
            Generic("outcome missing", _ => bodies.With("outcome missing", "outcome", null, 400, $"The outcome is required: one of {OutcomeNames}")),
            Generic("amount negative", r => bodies.With("amount negative", "amount", $"-{r.Next(1, 100_000)}.{r.Next(100):00}", 400, "The amount must be positive")),
            Generic("amount zero", _ => bodies.With("amount zero", "amount", "0", 400, "The amount must be positive")),
            Generic("note too long", r => bodies.With("note too long", "note", Text('n', 2001 + r.Next(20_000)), 400, "The note is at most 2000 characters")),
            Generic("promise without date", _ => promise.With("promise without date", "promisedDate", null, 400, "A promise to pay needs the promised date")),
            Generic("promise in the past", r => promise.With("promise in the past", "promisedDate", $"\"{DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1 - r.Next(400))):yyyy-MM-dd}\"",
                400, "The promised date cannot be in the past")),
            Generic("promise without amount", _ => promise.With("promise without amount", "amount", null, 400, "A promise to pay needs the promised amount")),
            Generic("another officer", r => Unfielded(bodies.With("another officer", "officer", $"\"officer-{r.Next(1000)}\"", 409, "Task not claimed by this officer"))),
            new("unknown task", _ => ($"/api/tasks/{Guid.NewGuid()}/outcome", bodies.Valid("unknown task", 404, "No such task"))),
        ];
        return new Endpoint(path, bodies, [.. Breakages(bodies, hasNumber: true), .. rules]);
    }

    /// <summary>Overrides of a loan's active strategy: every body broken, or a loan without an active strategy.</summary>
    private static Endpoint Overrides()
    {
        var path = $"/api/loans/{Loan}/overrides";
        var bodies = new MalformedJson($$"""{"strategy":"Reminder","reason":"Borrower asked for time","officer":"{{Officer}}"}""",
        [
            new JsonField("strategy", JsonFieldKind.Enum, Enum.GetNames<RecoveryStrategy>()), new JsonField("reason", JsonFieldKind.Text),
            new JsonField("officer", JsonFieldKind.Text),
        ]);
        Generator[] rules =
        [
            Generic("strategy missing", _ => bodies.With("strategy missing", "strategy", null, 400, $"The strategy is required: one of {StrategyNames}")),
            Generic("reason missing", _ => bodies.With("reason missing", "reason", null, 400, "An override needs a reason")),
            Generic("reason blank", _ => bodies.With("reason blank", "reason", "\" \\t \"", 400, "An override needs a reason")),
            Generic("reason too long", r => bodies.With("reason too long", "reason", Text('r', 2001 + r.Next(20_000)), 400, "The reason is at most 2000 characters")),
            Generic("officer missing", _ => bodies.With("officer missing", "officer", null, 400, "The officer identifier is required")),
            Generic("officer too long", r => bodies.With("officer too long", "officer", Text('o', 101 + r.Next(3000)), 400,
                "The officer identifier is at most 100 characters")),
            new("unknown loan", r => ($"/api/loans/FZ-NO-SUCH-LOAN-{r.Next(100_000)}/overrides", bodies.Valid("unknown loan", 404, "No active strategy"))),
            new("over-long loan id", r => ($"/api/loans/{new string('L', 300 + r.Next(3000))}/overrides", bodies.Valid("over-long loan id", 404, "No active strategy"))),
        ];
        return new Endpoint(path, bodies, [.. Breakages(bodies, hasNumber: false), .. rules]);
    }

    /// <summary>A path segment that is not a GUID.</summary>
    private static string MalformedId(Random random) => random.Next(4) switch
    {
        0 => "not-a-task",
        1 => Guid.NewGuid().ToString()[..^1],
        2 => random.Next().ToString(),
        _ => Guid.NewGuid() + "0",
    };
}
