using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Overriding_strategies(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task An_override_without_a_reason_is_rejected_with_problem_details()
    {
        await service.AssignAsync(StrategyHost.Score("O-NOREASON", "O-B1", 0.9));

        var response = await service.Http.PostAsJsonAsync("/api/loans/O-NOREASON/overrides", new { strategy = "Settlement", reason = "  ", officer = "officer-3" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("An override needs a reason", problem.GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(0, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.override_audit WHERE loan_id = 'O-NOREASON'"));
        Assert.Equal("LegalAction", (await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/O-NOREASON/strategy")).GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
    }

    [Fact]
    public async Task An_override_replaces_the_strategy_is_audited_and_listed_with_every_decision_in_order()
    {
        await service.AssignAsync(StrategyHost.Score("O-LOAN", "O-B2", 0.9));

        var response = await service.Http.PostAsJsonAsync("/api/loans/O-LOAN/overrides",
            new { strategy = "Settlement", reason = "Borrower lost job last month; offer a plan first", officer = "officer-3" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var published = (await service.AssignedFor("O-LOAN", 2))[1];
        Assert.Equal("Settlement", published.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("override", published.GetProperty("policyVersion").GetString());
        Assert.Contains("officer-3", published.GetProperty("reasons")[0].GetString());

        var taskId = (await service.TasksAsync("loanId=O-LOAN&kind=Call")).Single().GetProperty("taskId").GetString();
        (await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/claim", new { officer = "officer-3" })).EnsureSuccessStatusCode();
        (await service.Http.PostAsJsonAsync($"/api/tasks/{taskId}/outcome", new { officer = "officer-3", outcome = "Unreachable" })).EnsureSuccessStatusCode();

        var decisions = await service.Http.GetFromJsonAsync<JsonElement>("/api/loans/O-LOAN/decisions");
        Assert.Equal(["Score", "Strategy", "Override", "Strategy", "Outcome"], decisions.EnumerateArray().Select(d => d.GetProperty("type").GetString()!).ToArray());
        var times = decisions.EnumerateArray().Select(d => d.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal("officer-3", decisions[2].GetProperty("details").GetProperty("officer").GetString());
        Assert.Equal(1, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.assignment WHERE loan_id = 'O-LOAN' AND active"));
    }

    [Fact]
    public async Task The_audit_table_refuses_updates_and_deletes_even_from_the_service_role()
    {
        await service.AssignAsync(StrategyHost.Score("O-AUDIT", "O-B3", 0.9));
        (await service.Http.PostAsJsonAsync("/api/loans/O-AUDIT/overrides",
            new { strategy = "Reminder", reason = "Hardship review", officer = "officer-4" })).EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(service.Database.ConnectionStringFor("strategy"));
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE override_audit SET reason = 'x' WHERE loan_id = 'O-AUDIT'", "DELETE FROM override_audit WHERE loan_id = 'O-AUDIT'" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText);
        }
        Assert.Equal("Hardship review", await service.Database.ScalarAsync<string>("SELECT reason FROM strategy.override_audit WHERE loan_id = 'O-AUDIT'"));
    }

    [Fact]
    public async Task An_override_to_a_strategy_compliance_forbids_is_refused()
    {
        await service.AssignAsync(StrategyHost.Score("O-YOUNG", "O-B4", 0.3, daysPastDue: 10));

        var response = await service.Http.PostAsJsonAsync("/api/loans/O-YOUNG/overrides", new { strategy = "LegalAction", reason = "Escalate", officer = "officer-5" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("60 days past due", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
