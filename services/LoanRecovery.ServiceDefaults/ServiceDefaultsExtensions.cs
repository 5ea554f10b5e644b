using LoanRecovery.ServiceDefaults.Http;
using LoanRecovery.ServiceDefaults.Logging;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.ServiceDefaults.Persistence;
using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanRecovery.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every service has: validated service options, Serilog, OpenTelemetry, health checks, problem
    /// details (a request that cannot be read is answered naming the field and why, bodies are bounded: see
    /// <see cref="RequestInputExtensions"/>), the OpenAPI document, a <see cref="TimeProvider"/>, and bearer-token
    /// authentication with the role policies of <see cref="ServiceRoles"/>.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        var serviceName = builder.ServiceName();

        builder.AddServiceLogging(serviceName);
        builder.AddServiceTelemetry(serviceName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRequestInputHandling();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.Services.AddSingleton<BearerTokens>();
        builder.Services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(ServiceRoles.AddPolicies);
        return builder;
    }

    /// <summary>
    /// The service's PostgreSQL schema: validated <see cref="PostgresOptions"/>, one <see cref="NpgsqlDataSource"/>
    /// whose search path is the schema, the EF Core context, migrations at start-up (before the bus), the
    /// outbox relay and a readiness check.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TDbContext>(this WebApplicationBuilder builder)
        where TDbContext : ServiceDbContext
    {
        builder.Services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var connection = new NpgsqlConnectionStringBuilder
            {
                Host = options.Host,
                Port = options.Port,
                Database = options.Database,
                Username = options.Username,
                Password = options.Password,
                SearchPath = options.Schema,
                MaxPoolSize = options.MaxPoolSize,
                MaxAutoPrepare = options.MaxAutoPrepare,
                // The services keep no session state (the search path is a connection parameter; the one session-level lock, the
                // migrator's, is released before its connection goes back, or the connection is closed), so a reused connection
                // needs no reset: the reset rode on the next transaction's first statement and cost the server a RESET ALL and
                // its follow-ups each time (visible in PostgreSQL's profile under load).
                NoResetOnClose = true,
                ApplicationName = sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Name,
            };
            return new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        });
        // Pooled: a context is reset and reused instead of built for every consumed message, which was a measurable share
        // of a consumer's CPU (EF Core's per-instance services). Contexts hold no state beyond one unit of work.
        builder.Services.AddDbContextPool<TDbContext>((sp, db) => db
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseServiceSchema(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.Schema));
        builder.Services.AddScoped<UnitOfWork<TDbContext>>();

        builder.Services.AddSingleton(new MigrationSources([typeof(ServiceDefaultsExtensions).Assembly, typeof(TDbContext).Assembly]));
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddSingleton<OutboxSignal>();
        // Registered before the bus: hosted services start in order, so consumers never see a missing table.
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>The service's name (<c>Service:Name</c>, else the application name), for logs, traces and queue names.</summary>
    public static string ServiceName(this WebApplicationBuilder builder) =>
        builder.Configuration[$"{ServiceOptions.Section}:Name"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;

    /// <summary>
    /// <c>/health/live</c>, <c>/health/ready</c> and <c>/openapi/v1.json</c>, open to loopback callers only; every other
    /// endpoint requires a bearer token (each service's endpoints name the role); request bodies bounded in size.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseLoopbackOnlyForOpenEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestBodyLimit();
        // Open by design (loopback only, above), also where an application requires a signed-in user for everything else.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseReadiness readiness) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!readiness.IsMigrated)
                return HealthCheckResult.Unhealthy("Migrations not applied yet");
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException ex)
            {
                return HealthCheckResult.Unhealthy("Database unreachable", ex);
            }
        }
    }

    private static class HealthResponse
    {
        public static Task WriteAsync(HttpContext context, HealthReport report) =>
            context.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
            });
    }
}
