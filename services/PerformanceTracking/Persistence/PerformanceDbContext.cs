using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.PerformanceTracking.Persistence;

public sealed class PerformanceDbContext(DbContextOptions<PerformanceDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<ScoreRecord> Scores => Set<ScoreRecord>();
    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();
    public DbSet<AssignmentRecord> Assignments => Set<AssignmentRecord>();
    public DbSet<ContactRecord> Contacts => Set<ContactRecord>();
    public DbSet<EpisodeRecord> Episodes => Set<EpisodeRecord>();
    public DbSet<PolicyProposalRecord> Proposals => Set<PolicyProposalRecord>();
    public DbSet<PolicyDecisionRecord> Decisions => Set<PolicyDecisionRecord>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ScoreRecord>(e =>
        {
            e.ToTable("score");
            e.HasKey(x => x.ScoreId);
            e.Property(x => x.Band).HasConversion<string>();
            e.Property(x => x.Features).HasColumnType("jsonb");
        });
        modelBuilder.Entity<PaymentRecord>(e => { e.ToTable("payment"); e.HasKey(x => x.PaymentId); });
        modelBuilder.Entity<AssignmentRecord>(e =>
        {
            e.ToTable("assignment");
            e.HasKey(x => x.AssignmentId);
            e.Property(x => x.Strategy).HasConversion<string>();
            e.Property(x => x.Arm).HasConversion<string>();
            e.Property(x => x.Stage).HasConversion<string>();
        });
        modelBuilder.Entity<ContactRecord>(e => { e.ToTable("contact"); e.HasKey(x => x.TaskId); });
        modelBuilder.Entity<EpisodeRecord>(e =>
        {
            e.ToTable("episode");
            e.HasKey(x => x.EpisodeId);
            e.Property(x => x.Strategy).HasConversion<string>();
            e.Property(x => x.Arm).HasConversion<string>();
            e.Property(x => x.Status).HasConversion<string>();
            e.Property(x => x.Band).HasConversion<string>();
            e.Property(x => x.Stage).HasConversion<string>();
        });
        modelBuilder.Entity<PolicyProposalRecord>(e =>
        {
            e.ToTable("policy_proposal");
            e.HasKey(x => x.ProposalId);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.Property(x => x.Cells).HasColumnType("jsonb");
        });
        modelBuilder.Entity<PolicyDecisionRecord>(e =>
        {
            e.ToTable("policy_decision");
            e.HasKey(x => x.DecisionId);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
        });
    }
}
