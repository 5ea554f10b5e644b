using LoanRecovery.Contracts;
using LoanRecovery.ServiceDefaults.Persistence;
using LoanRecovery.StrategyAssignment.Domain;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.StrategyAssignment.Persistence;

public sealed class StrategyDbContext(DbContextOptions<StrategyDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<PolicyRecord> Policies => Set<PolicyRecord>();
    public DbSet<PolicyRoleRecord> PolicyRoles => Set<PolicyRoleRecord>();
    public DbSet<PolicyRoleChangeRecord> PolicyRoleChanges => Set<PolicyRoleChangeRecord>();
    public DbSet<BorrowerComplianceRecord> Compliance => Set<BorrowerComplianceRecord>();
    public DbSet<LoanArmRecord> LoanArms => Set<LoanArmRecord>();
    public DbSet<ScoreRecord> Scores => Set<ScoreRecord>();
    public DbSet<AssignmentRecord> Assignments => Set<AssignmentRecord>();
    public DbSet<CollectionTaskRecord> Tasks => Set<CollectionTaskRecord>();
    public DbSet<OverrideAuditRecord> Overrides => Set<OverrideAuditRecord>();
    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<RecoveryStrategy>().HaveConversion<string>();
        configurationBuilder.Properties<RiskBand>().HaveConversion<string>();
        configurationBuilder.Properties<PolicyArm>().HaveConversion<string>();
        configurationBuilder.Properties<DelinquencyStage>().HaveConversion<string>();
        configurationBuilder.Properties<PolicyKind>().HaveConversion<string>();
        configurationBuilder.Properties<TaskKind>().HaveConversion<string>();
        configurationBuilder.Properties<CollectionTaskStatus>().HaveConversion<string>();
        configurationBuilder.Properties<TaskOutcome>().HaveConversion<string>();
        configurationBuilder.Properties<PromiseState>().HaveConversion<string>();
    }

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PolicyRecord>(e =>
        {
            e.ToTable("policy");
            e.HasKey(x => x.Version);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.Property(x => x.Document).HasColumnType("jsonb");
        });
        modelBuilder.Entity<PolicyRoleRecord>(e => { e.ToTable("policy_role"); e.HasKey(x => x.Role); });
        modelBuilder.Entity<PolicyRoleChangeRecord>(e =>
        {
            e.ToTable("policy_role_change");
            e.HasKey(x => x.ChangeId);
            e.Property(x => x.ChangeId).ValueGeneratedOnAdd();
        });
        modelBuilder.Entity<BorrowerComplianceRecord>(e => { e.ToTable("borrower_compliance"); e.HasKey(x => x.BorrowerId); });
        modelBuilder.Entity<LoanArmRecord>(e => { e.ToTable("loan_arm"); e.HasKey(x => x.LoanId); });
        modelBuilder.Entity<ScoreRecord>(e =>
        {
            e.ToTable("score");
            e.HasKey(x => x.ScoreId);
            e.Property(x => x.Features).HasColumnType("jsonb");
        });
        modelBuilder.Entity<AssignmentRecord>(e =>
        {
            e.ToTable("assignment");
            e.HasKey(x => x.AssignmentId);
            foreach (var json in new[] { nameof(AssignmentRecord.Actions), nameof(AssignmentRecord.Reasons), nameof(AssignmentRecord.Plan), nameof(AssignmentRecord.Facts) })
                e.Property(json).HasColumnType("jsonb");
        });
        modelBuilder.Entity<CollectionTaskRecord>(e =>
        {
            e.ToTable("collection_task");
            e.HasKey(x => x.TaskId);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<OverrideAuditRecord>(e =>
        {
            e.ToTable("override_audit");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        modelBuilder.Entity<PaymentRecord>(e => { e.ToTable("payment"); e.HasKey(x => x.PaymentId); });
    }
}
