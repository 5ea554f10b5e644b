using LoanRecovery.Testing;
using Npgsql;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Database_roles : IAsyncLifetime
{
    private static readonly string[] Services = ["ingestion", "segmentation", "risk", "strategy", "performance"];
    private ThrowawayDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        foreach (var schema in Services)
            await _database.ExecuteAsync($"CREATE TABLE {schema}.probe (id int); ALTER TABLE {schema}.probe OWNER TO {schema}; INSERT INTO {schema}.probe VALUES (1);");
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Each_service_role_reaches_its_own_schema_and_no_other()
    {
        foreach (var role in Services)
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionStringFor(role));
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using (var own = new NpgsqlCommand($"SELECT count(*) FROM {role}.probe", connection))
                Assert.Equal(1L, await own.ExecuteScalarAsync(TestContext.Current.CancellationToken));

            foreach (var other in Services.Where(s => s != role))
            {
                await using var read = new NpgsqlCommand($"SELECT count(*) FROM {other}.probe", connection);
                var denied = await Assert.ThrowsAsync<PostgresException>(() => read.ExecuteScalarAsync(TestContext.Current.CancellationToken));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);

                await using var create = new NpgsqlCommand($"CREATE TABLE {other}.intruder (id int)", connection);
                var refused = await Assert.ThrowsAsync<PostgresException>(() => create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }
        }
    }
}
