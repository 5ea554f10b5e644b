using Npgsql;

namespace LoanRecovery.Testing;

/// <summary>
/// A database of its own for one test class, provisioned with the same per-database SQL as production
/// (one schema per service, owned by the service's role), dropped at the end.
/// </summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    private ThrowawayDatabase(string name) => Name = name;

    public string Name { get; }

    public static async Task<ThrowawayDatabase> CreateAsync()
    {
        var database = new ThrowawayDatabase("lr_test_" + Guid.NewGuid().ToString("N")[..12]);
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var schemas = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.ProvisionSqlDirectory, "02-schemas.sql"));
        await using var connection = new NpgsqlConnection(database.AdminConnectionString);
        await connection.OpenAsync();
        await using var provision = new NpgsqlCommand(schemas, connection);
        await provision.ExecuteNonQueryAsync();
        return database;
    }

    public string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnection) { Database = Name, Pooling = false }.ConnectionString;

    /// <summary>A connection string for a service role (password <c>role-dev</c>, as provisioned).</summary>
    public string ConnectionStringFor(string role) => new NpgsqlConnectionStringBuilder
    {
        Host = TestEnvironment.PostgresHost,
        Port = TestEnvironment.PostgresPort,
        Database = Name,
        Username = role,
        Password = role + "-dev",
        SearchPath = role,
        Pooling = false,
    }.ConnectionString;

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T));
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
