using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.StrategyAssignment.Tests;

/// <summary>
/// Its own host: another test switching the champion to a policy made through the API would stop configuration
/// from defining the champion (by design), so the two must not share a service.
/// </summary>
public sealed class Configured_thresholds(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task Thresholds_changed_in_configuration_become_a_new_champion_and_change_the_result()
    {
        Assert.Equal("Settlement", (await service.AssignAsync(StrategyHost.Score("P-CFG-1", "P-B1", 0.6))).GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());

        await service.StartAsync(new() { ["StrategyAssignment:LegalAbove"] = "0.55", ["StrategyAssignment:SettlementFrom"] = "0.40" });
        var after = await service.AssignAsync(StrategyHost.Score("P-CFG-2", "P-B2", 0.6));
        var low = await service.AssignAsync(StrategyHost.Score("P-CFG-3", "P-B3", 0.45));

        Assert.Equal("LegalAction", after.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal("Settlement", low.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        var policies = await service.Http.GetFromJsonAsync<JsonElement>("/api/policies");
        var champion = policies.EnumerateArray().Single(p => p.GetProperty("role").GetString() == "champion");
        Assert.Equal(after.GetProperty("policyVersion").GetString(), champion.GetProperty("version").GetString());
        Assert.Equal(0.55, champion.GetProperty("document").GetProperty("legalAbove").GetDouble());
        Assert.True(policies.GetArrayLength() >= 2);
    }
}

public sealed class Versioned_policies(StrategyHost service) : IClassFixture<StrategyHost>
{
    [Fact]
    public async Task A_table_policy_switched_in_as_champion_decides_the_next_score_without_a_restart()
    {
        var created = await service.Http.PostAsJsonAsync("/api/policies", new
        {
            description = "Struggling borrowers get settlement even at high risk",
            createdBy = "analyst-1",
            document = new
            {
                kind = "Table", legalAbove = 0.75, settlementFrom = 0.5,
                rules = new { legalDaysPastDue = 90, legalMissedPayments = 3, settlementDaysPastDue = 30, settlementMissedPayments = 1 },
                table = new[] { new { band = "High", segment = "Struggling", strategy = "Settlement" } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var version = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString();
        (await service.Http.PutAsJsonAsync("/api/policies/champion", new { version, changedBy = "analyst-1" })).EnsureSuccessStatusCode();

        var struggling = await service.AssignAsync(StrategyHost.Score("P-TAB-1", "P-TB1", 0.9, segment: "Struggling"));
        var other = await service.AssignAsync(StrategyHost.Score("P-TAB-2", "P-TB2", 0.9, segment: "Stable"));

        Assert.Equal("Settlement", struggling.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        Assert.Equal(version, struggling.GetProperty("policyVersion").GetString());
        Assert.Equal("LegalAction", other.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
    }

    [Fact]
    public async Task An_invalid_policy_document_is_rejected_naming_the_field()
    {
        var response = await service.Http.PostAsJsonAsync("/api/policies", new
        {
            description = "Inverted thresholds",
            document = new { kind = "Thresholds", legalAbove = 0.4, settlementFrom = 0.6,
                rules = new { legalDaysPastDue = 90, legalMissedPayments = 3, settlementDaysPastDue = 30, settlementMissedPayments = 1 } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("document.settlementFrom", out _));
    }
}

/// <summary>Every loan in the experiment: with no challenger it is explored, with one it is decided by the challenger.</summary>
public sealed class ExperimentHost : StrategyHost
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["StrategyAssignment:ExplorationShare"] = "1", ["StrategyAssignment:ExploringWithChallengerShare"] = "0", ["StrategyAssignment:RandomSeed"] = "7",
    };
}

/// <summary>Every loan in the experiment, and every one of them kept exploring while a challenger runs.</summary>
public sealed class ExploringExperimentHost : StrategyHost
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["StrategyAssignment:ExplorationShare"] = "1", ["StrategyAssignment:ExploringWithChallengerShare"] = "1", ["StrategyAssignment:RandomSeed"] = "7",
    };
}

public sealed class Exploring_beside_a_challenger(ExploringExperimentHost service) : IClassFixture<ExploringExperimentHost>
{
    [Fact]
    public async Task A_loan_drawn_to_keep_exploring_is_explored_while_a_challenger_runs()
    {
        var version = await Champion_and_challenger.RunLowerLegalThresholdAsChallengerAsync(service.Http);

        var assigned = await service.AssignAsync(StrategyHost.Score("X-KE-1", "X-KE-B", 0.5, daysPastDue: 20));

        Assert.Equal("Exploration", assigned.GetProperty("arm").EnumName<LoanRecovery.Contracts.PolicyArm>());
        Assert.NotEqual(version, assigned.GetProperty("policyVersion").GetString());
        Assert.Equal(1, await service.Database.ScalarAsync<long>("SELECT count(*) FROM strategy.loan_arm WHERE loan_id = 'X-KE-1' AND in_experiment AND keeps_exploring"));
    }
}

public sealed class Champion_and_challenger(ExperimentHost service) : IClassFixture<ExperimentHost>
{
    /// <summary>Stores a thresholds policy with a lower legal threshold (0.4) and makes it the challenger; returns its version.</summary>
    internal static async Task<string?> RunLowerLegalThresholdAsChallengerAsync(HttpClient http)
    {
        var created = await http.PostAsJsonAsync("/api/policies", new
        {
            description = "Lower legal threshold",
            document = new { kind = "Thresholds", legalAbove = 0.4, settlementFrom = 0.2,
                rules = new { legalDaysPastDue = 90, legalMissedPayments = 3, settlementDaysPastDue = 30, settlementMissedPayments = 1 } },
        });
        var version = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString();
        (await http.PutAsJsonAsync("/api/policies/challenger", new { version })).EnsureSuccessStatusCode();
        return version;
    }

    [Fact]
    public async Task Without_a_challenger_the_experiment_share_gets_a_random_allowed_strategy_recorded_as_exploration()
    {
        var strategies = new HashSet<string>();
        for (var i = 0; i < 12; i++)
        {
            // 20 days past due: legal action is not allowed, so exploration draws only from settlement and reminder.
            var assigned = await service.AssignAsync(StrategyHost.Score($"X-EXP-{i}", $"X-B{i}", 0.9, daysPastDue: 20));
            Assert.Equal("Exploration", assigned.GetProperty("arm").EnumName<LoanRecovery.Contracts.PolicyArm>());
            strategies.Add(assigned.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>()!);
        }
        Assert.Equal(["Reminder", "Settlement"], strategies.Order().ToArray());
    }

    [Fact]
    public async Task With_a_challenger_the_experiment_share_is_decided_by_the_challenger_policy()
    {
        var version = await Champion_and_challenger.RunLowerLegalThresholdAsChallengerAsync(service.Http);

        var assigned = await service.AssignAsync(StrategyHost.Score("X-CH-1", "X-CH-B", 0.5));

        Assert.Equal("Challenger", assigned.GetProperty("arm").EnumName<LoanRecovery.Contracts.PolicyArm>());
        Assert.Equal(version, assigned.GetProperty("policyVersion").GetString());
        Assert.Equal("LegalAction", assigned.GetProperty("strategy").EnumName<LoanRecovery.Contracts.RecoveryStrategy>());
        (await service.Http.PutAsJsonAsync("/api/policies/challenger", new { version = (string?)null })).EnsureSuccessStatusCode();
    }
}
