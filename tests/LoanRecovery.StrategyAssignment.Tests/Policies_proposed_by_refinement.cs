using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Contracts;

namespace LoanRecovery.StrategyAssignment.Tests;

public sealed class Policies_proposed_by_refinement(StrategyHost service) : IClassFixture<StrategyHost>
{
    private async Task<List<JsonElement>> PoliciesAsync() =>
        (await service.Http.GetFromJsonAsync<JsonElement>("/api/policies")).EnumerateArray().ToList();

    private async Task<List<JsonElement>> WaitForAsync(Func<List<JsonElement>, bool> condition)
    {
        var deadline = DateTime.UtcNow + StrategyHost.Wait;
        while (true)
        {
            var policies = await PoliciesAsync();
            if (condition(policies))
                return policies;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The policies never reached the expected state");
            await Task.Delay(100);
        }
    }

    private static string? Role(JsonElement policy) => policy.GetProperty("role").ValueKind == JsonValueKind.Null ? null : policy.GetProperty("role").GetString();

    [Fact]
    public async Task A_refined_table_becomes_the_challenger_and_its_promotion_makes_it_champion()
    {
        var champion = (await PoliciesAsync()).Single(p => Role(p) == "champion").GetProperty("version").GetString();
        var proposal = new PolicyProposed(Guid.NewGuid(), ProposedRole.Challenger, null, champion,
            [
                new PolicyCell(RiskBand.High, "Struggling", RecoveryStrategy.Settlement, "measured", 120, 900m, 400m, 1400m, "Settlement recovered more"),
                new PolicyCell(RiskBand.Medium, null, RecoveryStrategy.LegalAction, "measured", 80, 700m, 200m, 1200m, "Legal action recovered more",
                    DelinquencyStage.Late),
            ],
            120, "Settlement beats legal action for struggling high-risk borrowers", DateTimeOffset.UtcNow);

        await service.Bus.PublishAsync(proposal, Guid.NewGuid());
        await service.Bus.PublishAsync(proposal, Guid.NewGuid()); // the same proposal again: one policy

        var policies = await WaitForAsync(list => list.Any(p => Role(p) == "challenger"));
        var challenger = policies.Single(p => Role(p) == "challenger");
        Assert.Equal("Table", challenger.GetProperty("document").GetProperty("kind").GetString());
        var rows = challenger.GetProperty("document").GetProperty("table").EnumerateArray()
            .Select(r => (r.GetProperty("band").GetString(), r.GetProperty("segment").GetString(), r.GetProperty("strategy").GetString(),
                r.GetProperty("stage").ValueKind == JsonValueKind.Null ? null : r.GetProperty("stage").GetString()))
            .OrderBy(r => r.Item1).ToList();
        Assert.Equal([("High", "Struggling", "Settlement", null), ("Medium", "*", "LegalAction", "Late")], rows);
        await Task.Delay(500);
        Assert.Equal(policies.Count, (await PoliciesAsync()).Count);

        var version = challenger.GetProperty("version").GetString();
        await service.Bus.PublishAsync(new PolicyProposed(Guid.NewGuid(), ProposedRole.Champion, "policy-999", champion, [], 300,
            "A stale promotion", DateTimeOffset.UtcNow), Guid.NewGuid());
        await service.Bus.PublishAsync(new PolicyProposed(Guid.NewGuid(), ProposedRole.Champion, version, champion, [], 300,
            "Net recovery per loan higher by 210 (95% CI 40–380)", DateTimeOffset.UtcNow), Guid.NewGuid());

        var after = await WaitForAsync(list => list.Any(p => Role(p) == "champion" && p.GetProperty("version").GetString() == version));
        Assert.DoesNotContain(after, p => Role(p) == "challenger");
        var struggling = await service.AssignAsync(StrategyHost.Score("PP-1", "PP-B1", 0.9, segment: "Struggling"));
        Assert.Equal("Settlement", struggling.GetProperty("strategy").EnumName<RecoveryStrategy>());
        Assert.Equal(version, struggling.GetProperty("policyVersion").GetString());
        // The late-stage cell decides only loans in the late stage.
        Assert.Equal("LegalAction", (await service.AssignAsync(StrategyHost.Score("PP-2", "PP-B2", 0.6, daysPastDue: 90))).GetProperty("strategy").EnumName<RecoveryStrategy>());
        Assert.Equal("Settlement", (await service.AssignAsync(StrategyHost.Score("PP-3", "PP-B3", 0.6, daysPastDue: 30))).GetProperty("strategy").EnumName<RecoveryStrategy>());
    }
}
