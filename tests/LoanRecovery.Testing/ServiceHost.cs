using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.Testing;

/// <summary>
/// A service hosted in-process against the real PostgreSQL and RabbitMQ, in its own throw-away database and
/// virtual host. Disposing it stops the process's host as a crash would: without the relay finishing its work.
/// <paramref name="configureServices"/> runs after the service's own registrations (test-only hooks, such as a fault to inject).
/// </summary>
public sealed class ServiceHost<TProgram>(ThrowawayDatabase database, ThrowawayVirtualHost virtualHost, string role,
    IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<TProgram> where TProgram : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Postgres:Host"] = TestEnvironment.PostgresHost,
            ["Postgres:Port"] = TestEnvironment.PostgresPort.ToString(),
            ["Postgres:Database"] = database.Name,
            ["Postgres:Username"] = role,
            ["Postgres:Password"] = role + "-dev",
            ["RabbitMq:Host"] = "127.0.0.1",
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(),
            ["RabbitMq:VirtualHost"] = virtualHost.Name,
            ["RabbitMq:Username"] = TestEnvironment.RabbitUser,
            ["RabbitMq:Password"] = TestEnvironment.RabbitPassword,
            // Short retries keep fault tests quick; production intervals come from appsettings.
            ["Messaging:RetryIntervals:0"] = "00:00:00.050",
            ["Messaging:RetryIntervals:1"] = "00:00:00.100",
            ["Messaging:RetryIntervals:2"] = "00:00:00.200",
            ["Messaging:RelayPollInterval"] = "00:00:00.100",
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        if (configureServices is not null)
            builder.ConfigureTestServices(configureServices);
    }

    /// <summary>Starts the host (migrations, bus) and returns an HTTP client for it that acts as an administrator.</summary>
    public HttpClient Start() => CreateClient().WithToken(ServiceRoles.Admin);

    /// <summary>A client with a token for exactly these roles.</summary>
    public HttpClient ClientFor(params string[] roles) => CreateClient().WithToken(roles);
}
