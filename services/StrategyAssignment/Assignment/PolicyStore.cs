using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Assignment;

public sealed record ActivePolicy(string Version, PolicyDocument Document);

public sealed record CurrentPolicies(ActivePolicy Champion, ActivePolicy? Challenger);

/// <summary>Reads and changes the versioned policies; the champion is read per decision, so a switch needs no restart.</summary>
public sealed class PolicyStore(StrategyDbContext db, TimeProvider clock)
{
    public const string ConfigurationSource = "configuration";

    public async Task<CurrentPolicies> CurrentAsync(CancellationToken cancellationToken)
    {
        var roles = await (from r in db.PolicyRoles.AsNoTracking()
                           join p in db.Policies.AsNoTracking() on r.Version equals p.Version
                           select new { r.Role, p.Version, p.Document }).ToListAsync(cancellationToken);
        var champion = roles.SingleOrDefault(r => r.Role == PolicyRoleRecord.Champion)
                       ?? throw new InvalidOperationException("No champion policy: the policy seeder has not run");
        var challenger = roles.SingleOrDefault(r => r.Role == PolicyRoleRecord.Challenger);
        return new CurrentPolicies(
            new ActivePolicy(champion.Version, StrategyJson.Deserialize<PolicyDocument>(champion.Document)),
            challenger is null ? null : new ActivePolicy(challenger.Version, StrategyJson.Deserialize<PolicyDocument>(challenger.Document)));
    }

    public async Task<PolicyRecord> AddAsync(PolicyDocument document, string description, string source, string createdBy, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('strategy-policy-version'))", cancellationToken);
        var next = (await db.Policies.Select(p => (int?)p.Sequence).MaxAsync(cancellationToken) ?? 0) + 1;
        var record = new PolicyRecord
        {
            Version = $"policy-{next}",
            Kind = document.Kind,
            Document = StrategyJson.Serialize(document),
            Description = description,
            Source = source,
            CreatedBy = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Policies.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    public async Task SetRoleAsync(string role, string? version, string changedBy, CancellationToken cancellationToken)
    {
        var existing = await db.PolicyRoles.SingleOrDefaultAsync(r => r.Role == role, cancellationToken);
        if (existing?.Version == version)
            return;
        // The role changes in place; the append-only history keeps every change with who made it.
        db.PolicyRoleChanges.Add(new PolicyRoleChangeRecord { Role = role, Version = version, Actor = changedBy, ChangedAt = clock.GetUtcNow() });
        if (version is null)
        {
            if (existing is not null)
                db.PolicyRoles.Remove(existing);
            return;
        }
        if (existing is null)
            db.PolicyRoles.Add(existing = new PolicyRoleRecord { Role = role });
        existing.Version = version;
        existing.ChangedBy = changedBy;
        existing.ChangedAt = clock.GetUtcNow();
    }

    /// <summary>
    /// Makes the policy in configuration a stored version: the first champion on an empty schema, and a new champion when
    /// the configured thresholds changed while the champion is still the configured one (a champion chosen through the API
    /// is left alone).
    /// </summary>
    public async Task<string?> SeedAsync(PolicyDocument configured, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('strategy-policy-seed'))", cancellationToken);
        var champion = await (from r in db.PolicyRoles
                              join p in db.Policies on r.Version equals p.Version
                              where r.Role == PolicyRoleRecord.Champion
                              select p).SingleOrDefaultAsync(cancellationToken);
        if (champion is not null && (champion.Source != ConfigurationSource || SameDocument(StrategyJson.Deserialize<PolicyDocument>(champion.Document), configured)))
            return null;
        var added = await AddAsync(configured, "Thresholds and fallback rules from configuration", ConfigurationSource, "configuration", cancellationToken);
        await SetRoleAsync(PolicyRoleRecord.Champion, added.Version, "configuration", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return added.Version;
    }

    private static bool SameDocument(PolicyDocument a, PolicyDocument b) =>
        a.Kind == b.Kind && a.LegalAbove.Equals(b.LegalAbove) && a.SettlementFrom.Equals(b.SettlementFrom) && a.Rules == b.Rules &&
        (a.Table ?? []).SequenceEqual(b.Table ?? []);
}

/// <summary>Seeds the configured policy at start-up, after the migrations and before the bus starts consuming.</summary>
public sealed partial class PolicySeeder(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<StrategyAssignmentOptions> options,
    ILogger<PolicySeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StrategyDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var version = await store.SeedAsync(options.Value.ConfiguredPolicy(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (version is not null)
            LogSeeded(version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy {PolicyVersion} from configuration is champion")]
    private partial void LogSeeded(string policyVersion);
}
