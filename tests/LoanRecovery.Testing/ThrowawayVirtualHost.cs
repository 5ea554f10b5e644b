using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace LoanRecovery.Testing;

/// <summary>A RabbitMQ virtual host of its own for one test class, created and deleted through the management API.</summary>
public sealed class ThrowawayVirtualHost : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();

    private ThrowawayVirtualHost(string name) => Name = name;

    public string Name { get; }

    public static async Task<ThrowawayVirtualHost> CreateAsync()
    {
        var vhost = new ThrowawayVirtualHost("lr-test-" + Guid.NewGuid().ToString("N")[..12]);
        (await Management.PutAsync($"api/vhosts/{vhost.Name}", null)).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{vhost.Name}/{TestEnvironment.RabbitUser}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return vhost;
    }

    /// <summary>
    /// Gives the services' own broker users (deploy/rabbitmq/users.conf, created by deploy/local/servers.sh) their permissions on
    /// this virtual host, so that services connecting as them have exactly the rights they have in production.
    /// </summary>
    public async Task GrantServiceUsersAsync()
    {
        foreach (var user in BrokerUsers.All)
        {
            var existing = await Management.GetAsync($"api/users/{Uri.EscapeDataString(user.Name)}");
            if (existing.StatusCode == System.Net.HttpStatusCode.NotFound)
                throw new InvalidOperationException(
                    $"The broker has no user {user.Name}: deploy/local/servers.sh start creates the users of {TestEnvironment.RabbitUsersFile}.");
            existing.EnsureSuccessStatusCode();
            (await Management.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(user.Name)}",
                new { configure = user.Configure, write = user.Write, read = user.Read })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Whether the queue is declared. Its counts may still be missing then: the broker fills them in every few seconds.</summary>
    public async Task<bool> QueueExistsAsync(string queue) =>
        (await Management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}")).IsSuccessStatusCode;

    /// <summary>Messages waiting in a queue, as the broker counts them (ready + unacknowledged).</summary>
    public async Task<int?> QueueDepthAsync(string queue)
    {
        var response = await Management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return null;
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return info?.Messages;
    }

    /// <summary>
    /// Messages consumers have acknowledged from a queue since it was declared (0 when unknown). The broker refreshes
    /// these statistics every few seconds, so a caller waits for the figure it expects.
    /// </summary>
    public async Task<long> AcknowledgedCountAsync(string queue)
    {
        var response = await Management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var info = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return info.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("ack", out var ack) ? ack.GetInt64() : 0;
    }

    private sealed record QueueInfo(int? Messages);

    /// <summary>The names of the queues declared in this virtual host.</summary>
    public async Task<IReadOnlyList<string>> QueueNamesAsync() =>
        (await Management.GetFromJsonAsync<List<NamedInfo>>($"api/queues/{Uri.EscapeDataString(Name)}?columns=name") ?? []).Select(q => q.Name).ToList();

    /// <summary>The exchanges declared in this virtual host, less the broker's own (the default exchange and <c>amq.*</c>).</summary>
    public async Task<IReadOnlyList<BrokerExchange>> ExchangesAsync() =>
        (await Management.GetFromJsonAsync<List<BrokerExchange>>($"api/exchanges/{Uri.EscapeDataString(Name)}") ?? [])
        .Where(e => e.Name.Length > 0 && !e.Name.StartsWith("amq.", StringComparison.Ordinal)).ToList();

    /// <summary>The client connections to this virtual host: the name each client gave its connection, and the user it logged in as.</summary>
    public async Task<IReadOnlyList<BrokerConnection>> ConnectionsAsync() =>
        (await Management.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"api/vhosts/{Uri.EscapeDataString(Name)}/connections") ?? [])
        .Select(c => new BrokerConnection(
            c.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var name) ? name.GetString() : null,
            c.GetProperty("user").GetString()!))
        .ToList();

    private sealed record NamedInfo(string Name);

    public async ValueTask DisposeAsync() => await Management.DeleteAsync($"api/vhosts/{Name}");

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitManagementUrl.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.RabbitUser}:{TestEnvironment.RabbitPassword}")));
        return client;
    }
}

/// <summary>An exchange as the management API describes it.</summary>
public sealed record BrokerExchange(string Name, string Type, bool Durable);

/// <summary>A client connection: the name its client gave it (MassTransit: the service's name) and its user.</summary>
public sealed record BrokerConnection(string? Name, string User);
