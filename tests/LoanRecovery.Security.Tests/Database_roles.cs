using Npgsql;
using LoanRecovery.Testing;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// Each service's database role reaches only its own schema, as provisioned by deploy/postgres/02-schemas.sql: a
/// compromised or buggy service cannot read or change another service's data, nor create objects outside its schema.
/// </summary>
public sealed class Database_roles : IAsyncLifetime
{
    private static readonly string[] Roles = ["ingestion", "segmentation", "risk", "strategy", "performance"];
    private ThrowawayDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        // Each role creates a table in its own schema, as its migrations do.
        foreach (var role in Roles)
            await ExecuteAsAsync(role, $"CREATE TABLE {role}.probe (id int PRIMARY KEY); INSERT INTO {role}.probe VALUES (1)");
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    public static TheoryData<string, string> OtherSchemas()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in Roles)
            foreach (var other in Roles.Where(o => o != role))
                data.Add(role, other);
        return data;
    }

    [Theory]
    [MemberData(nameof(OtherSchemas))]
    public async Task A_service_role_cannot_read_write_or_create_in_another_services_schema(string role, string other)
    {
        foreach (var sql in new[]
                 {
                     $"SELECT count(*) FROM {other}.probe",
                     $"INSERT INTO {other}.probe VALUES (2)",
                     $"DELETE FROM {other}.probe",
                     $"CREATE TABLE {other}.intruder (id int)",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(role, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal(1, await _database.ScalarAsync<int>($"SELECT count(*) FROM {other}.probe"));
    }

    [Theory]
    [MemberData(nameof(RoleNames))]
    public async Task A_service_role_cannot_create_in_the_public_schema_or_escalate(string role)
    {
        var publicTable = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(role, "CREATE TABLE public.intruder (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, publicTable.SqlState);
        var newRole = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(role, "CREATE ROLE intruder"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, newRole.SqlState);
        // Its own schema is its to use.
        await ExecuteAsAsync(role, $"INSERT INTO {role}.probe VALUES (3); DELETE FROM {role}.probe WHERE id = 3");
    }

    public static TheoryData<string> RoleNames() => new(Roles);

    private async Task ExecuteAsAsync(string role, string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionStringFor(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
