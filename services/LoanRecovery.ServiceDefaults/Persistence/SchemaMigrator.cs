using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>
/// Applies the ordered SQL migrations of ServiceDefaults (inbox/outbox) and of the service (its
/// <c>Migrations/*.sql</c> embedded resources) to the service's schema at start-up, each in its own transaction,
/// under a PostgreSQL advisory lock so that several instances starting together apply each file once.
/// Runs before the bus starts (it is registered first), so no message is consumed against a missing table.
/// </summary>
public sealed partial class SchemaMigrator(
    NpgsqlDataSource dataSource,
    IOptions<PostgresOptions> options,
    MigrationSources sources,
    DatabaseReadiness readiness,
    TimeProvider clock,
    ILogger<SchemaMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.Value.StartupTimeout;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                readiness.MarkMigrated();
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && clock.GetUtcNow() < deadline)
            {
                LogDatabaseUnavailable(ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), clock, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var schema = options.Value.Schema;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock(hashtext(@schema))", cancellationToken, ("schema", schema));
        try
        {
            await Execute(connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    applied.Add(reader.GetString(0));

            foreach (var (version, sql) in sources.Ordered())
            {
                if (applied.Contains(version))
                    continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(sql, connection, transaction))
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@v)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                LogApplied(version, schema);
            }
        }
        finally
        {
            // A broken connection has released the session's lock already; unlocking it would only replace the
            // (transient, retried) error that broke it with one start-up does not retry.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await Execute(connection, "SELECT pg_advisory_unlock(hashtext(@schema))", CancellationToken.None, ("schema", schema));
                }
                catch
                {
                    // Pooled connections are not reset when they go back (ServiceDefaultsExtensions), so a lock left on this one
                    // would block every later migration of the schema: the physical connection is closed instead of pooled.
                    NpgsqlConnection.ClearPool(connection);
                    throw;
                }
            }
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} to schema {Schema}")]
    private partial void LogApplied(string version, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}); retrying")]
    private partial void LogDatabaseUnavailable(Exception exception, int attempt);
}

/// <summary>The assemblies whose <c>Migrations/NNNN_name.sql</c> resources make up a service's schema, in order.</summary>
public sealed class MigrationSources(IReadOnlyList<Assembly> assemblies)
{
    /// <summary>Migrations ordered by assembly (ServiceDefaults first), then by file name; the version is the file name.</summary>
    public IEnumerable<(string Version, string Sql)> Ordered()
    {
        foreach (var assembly in assemblies)
        {
            var prefix = assembly.GetName().Name + ".Migrations.";
            foreach (var resource in assembly.GetManifestResourceNames()
                         .Where(r => r.StartsWith(prefix, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                var version = assembly.GetName().Name + "/" + resource[prefix.Length..];
                yield return (version, reader.ReadToEnd());
            }
        }
    }
}
