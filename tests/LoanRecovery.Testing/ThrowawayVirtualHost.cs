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

    private sealed record QueueInfo(int? Messages);

    public async ValueTask DisposeAsync() => await Management.DeleteAsync($"api/vhosts/{Name}");

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitManagementUrl.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.RabbitUser}:{TestEnvironment.RabbitPassword}")));
        return client;
    }
}
