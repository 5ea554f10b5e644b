using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Testing;
using Npgsql;

namespace LoanRecovery.FaultTests;

/// <summary>
/// The servers the tests run against, stopped and started through <c>deploy/local/servers.sh</c> (<c>LR_SERVERS_SCRIPT</c>),
/// which reads the same environment as the script that started them (ports, node name, data directory), so only those
/// servers are ever touched. Also cuts a service's broker connection or database session as a dying process would.
/// </summary>
public static class Servers
{
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Management = CreateManagementClient();

    private static string Script => Environment.GetEnvironmentVariable("LR_SERVERS_SCRIPT") is { Length: > 0 } script
        ? script
        : Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "local", "servers.sh");

    /// <summary>Stops the broker node (an orderly shutdown, as an operator's restart does).</summary>
    public static Task StopRabbitMqAsync() => RunScriptAsync("stop", "rabbitmq");

    /// <summary>Starts the broker node again and waits until it accepts connections and its management API answers.</summary>
    public static async Task StartRabbitMqAsync()
    {
        await RunScriptAsync("start", "rabbitmq");
        await EventuallyAsync(async () =>
        {
            try { return (await Management.GetAsync("api/overview")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "the RabbitMQ management API to answer");
    }

    public static Task StopPostgresAsync() => RunScriptAsync("stop", "postgres");

    /// <summary>Starts PostgreSQL again and waits until it accepts connections.</summary>
    public static async Task StartPostgresAsync()
    {
        await RunScriptAsync("start", "postgres");
        await EventuallyAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdminConnection);
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException) { return false; }
        }, "PostgreSQL to accept connections");
    }

    /// <summary>Closes, on the broker's side, every connection of the named service in the virtual host, as the death of its process does.</summary>
    public static async Task<int> CloseBrokerConnectionsAsync(string virtualHost, string connectionName)
    {
        var connections = await Management.GetFromJsonAsync<List<JsonElement>>($"api/vhosts/{Uri.EscapeDataString(virtualHost)}/connections") ?? [];
        var closed = 0;
        foreach (var connection in connections)
        {
            var name = connection.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var n) ? n.GetString() : null;
            if (name != connectionName)
                continue;
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/connections/{Uri.EscapeDataString(connection.GetProperty("name").GetString()!)}");
            request.Headers.Add("X-Reason", "fault test: the process was killed");
            (await Management.SendAsync(request)).EnsureSuccessStatusCode();
            closed++;
        }
        return closed;
    }

    /// <summary>Creates a broker user with every right on one virtual host.</summary>
    public static async Task CreateBrokerUserAsync(string user, string password, string virtualHost)
    {
        (await Management.PutAsJsonAsync($"api/users/{Uri.EscapeDataString(user)}", new { password, tags = "" })).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Removes a broker user and closes its connections, as the death of the process using them does: the broker puts
    /// back what they had not acknowledged, and nothing can connect as that user again. Returns how many were closed.
    /// </summary>
    public static async Task<int> RemoveBrokerUserAsync(string user)
    {
        // The management API lists a new connection a moment after it opens (and answers 500 for a while after the node
        // restarted): wait until the user's show up.
        List<string> connections = [];
        await EventuallyAsync(async () =>
        {
            using var response = await Management.GetAsync("api/connections");
            if (!response.IsSuccessStatusCode)
                return false;
            connections = (await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [])
                .Where(c => c.GetProperty("user").GetString() == user).Select(c => c.GetProperty("name").GetString()!).ToList();
            return connections.Count > 0;
        }, $"the broker to list the connections of {user}");
        // Either delete can meet a 500 while the node is still busy (just after a restart, or while the user's connections
        // close): asked again until it is done or the thing is gone.
        await EventuallyAsync(async () => Done(await Management.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}")),
            $"the broker to delete the user {user}");
        foreach (var name in connections)
            await EventuallyAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/connections/{Uri.EscapeDataString(name)}");
                request.Headers.Add("X-Reason", "fault test: the process was killed");
                // Deleting the user has usually closed the connection already (404).
                return Done(await Management.SendAsync(request));
            }, $"the broker to close the connection {name}");
        return connections.Count;
    }

    /// <summary>Ends a database session as the death of its process does: PostgreSQL rolls back its open transaction.</summary>
    public static async Task TerminateBackendAsync(int processId)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", processId);
        if (await command.ExecuteScalarAsync() is not true)
            throw new InvalidOperationException($"PostgreSQL backend {processId} was not running");
    }

    private static async Task RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BackWithin);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"servers.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
    }

    private static bool Done(HttpResponseMessage response) =>
        response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotFound;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + BackWithin;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {BackWithin.TotalSeconds} s for {what}.");
            await Task.Delay(250);
        }
    }

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitManagementUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.RabbitUser}:{TestEnvironment.RabbitPassword}")));
        return client;
    }
}
