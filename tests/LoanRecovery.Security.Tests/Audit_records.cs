using LoanRecovery.Testing;
using Npgsql;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// Scores, strategies, overrides, model promotions and policy changes are append-only records with an actor and a
/// time. The services apply their own migrations here; then, connected as each service's role (what the application
/// uses), every attempt to change or remove such a record is refused by the database.
/// </summary>
public sealed class Audit_records(SecuredServices services) : IClassFixture<SecuredServices>
{
    /// <summary>Every audit table, the role that owns it, and its actor and time columns.</summary>
    public static TheoryData<string, string, string, string> AuditTables() => new()
    {
        { "risk", "score", "actor", "scored_at" },
        { "risk", "promotion_decision", "actor", "decided_at" },
        { "strategy", "assignment", "actor", "assigned_at" },
        { "strategy", "override_audit", "officer", "at" },
        { "strategy", "policy", "created_by", "created_at" },
        { "strategy", "policy_role_change", "actor", "changed_at" },
        { "performance", "policy_proposal", "actor", "proposed_at" },
        { "performance", "policy_decision", "actor", "decided_at" },
    };

    [Theory]
    [MemberData(nameof(AuditTables))]
    public async Task Cannot_be_updated_deleted_or_truncated_by_the_service_and_carry_actor_and_time(string role, string table, string actor, string time)
    {
        Assert.Equal(2, await services.Database.ScalarAsync<int>($"""
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = '{role}' AND table_name = '{table}' AND column_name IN ('{actor}', '{time}') AND is_nullable = 'NO'
            """));
        if (table == "assignment")
            await InsertAssignmentAsync();
        foreach (var sql in new[] { $"UPDATE {table} SET {actor} = 'someone else'", $"DELETE FROM {table}", $"TRUNCATE {table} CASCADE" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(role, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            Assert.Contains(table, refused.MessageText);
        }
    }

    [Fact]
    public async Task An_assignment_can_only_be_ended_once_and_its_decision_never_changes()
    {
        var id = await InsertAssignmentAsync();
        var changeDecision = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsAsync("strategy", $"UPDATE assignment SET strategy = 'LegalAction' WHERE assignment_id = '{id}'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, changeDecision.SqlState);

        // Ending it, as a new assignment or an override does, is its life cycle.
        await ExecuteAsAsync("strategy", $"UPDATE assignment SET active = false, ended_at = now(), ended_reason = 'superseded' WHERE assignment_id = '{id}'");
        foreach (var sql in new[]
                 {
                     $"UPDATE assignment SET ended_reason = 'rewritten' WHERE assignment_id = '{id}'",
                     $"UPDATE assignment SET active = true, ended_at = NULL WHERE assignment_id = '{id}'",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync("strategy", sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal("superseded", await services.Database.ScalarAsync<string>($"SELECT ended_reason FROM strategy.assignment WHERE assignment_id = '{id}'"));
    }

    private async Task<Guid> InsertAssignmentAsync()
    {
        var id = Guid.NewGuid();
        await ExecuteAsAsync("strategy", $"""
            INSERT INTO assignment (assignment_id, loan_id, borrower_id, strategy, band, rule_based, arm, policy_version, source, score_id,
                                    probability, model_version, priority, actions, reasons, facts, active, assigned_at)
            VALUES ('{id}', 'AUDIT_LN_{id:N}', 'AUDIT_BRW', 'Settlement', 'Medium', false, 'Champion', 'policy-1', 'Score', '{Guid.NewGuid()}',
                    0.6, 'risk-1', 1000, '[]', '[]', '{"{}"}', true, now())
            """);
        return id;
    }

    private async Task ExecuteAsAsync(string role, string sql)
    {
        await using var connection = new NpgsqlConnection(services.Database.ConnectionStringFor(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
