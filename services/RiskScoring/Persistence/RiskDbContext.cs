using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Persistence;

public sealed class RiskDbContext(DbContextOptions<RiskDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<LoanSnapshot> Loans => Set<LoanSnapshot>();
    public DbSet<BorrowerSegment> Segments => Set<BorrowerSegment>();
    public DbSet<TrainingExampleRow> TrainingExamples => Set<TrainingExampleRow>();
    public DbSet<RiskModelRecord> Models => Set<RiskModelRecord>();
    public DbSet<ScoreRecord> Scores => Set<ScoreRecord>();
    public DbSet<PromotionDecisionRecord> Decisions => Set<PromotionDecisionRecord>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LoanSnapshot>(e =>
        {
            e.ToTable("loan_snapshot");
            e.HasKey(x => x.LoanId);
            e.Property(x => x.InitialFeatures).HasColumnType("jsonb");
        });
        modelBuilder.Entity<BorrowerSegment>(e => { e.ToTable("borrower_segment"); e.HasKey(x => x.BorrowerId); });
        modelBuilder.Entity<TrainingExampleRow>(e =>
        {
            e.ToTable("training_example");
            e.HasKey(x => x.OutcomeId);
            e.Property(x => x.Features).HasColumnType("jsonb");
        });
        modelBuilder.Entity<RiskModelRecord>(e =>
        {
            e.ToTable("risk_model");
            e.HasKey(x => x.Version);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            foreach (var json in new[] { nameof(RiskModelRecord.FeatureSchema), nameof(RiskModelRecord.Metrics), nameof(RiskModelRecord.Reliability), nameof(RiskModelRecord.GlobalImportance) })
                e.Property(json).HasColumnType("jsonb");
        });
        modelBuilder.Entity<PromotionDecisionRecord>(e => { e.ToTable("promotion_decision"); e.HasKey(x => x.DecisionId); });
        modelBuilder.Entity<ScoreRecord>(e =>
        {
            e.ToTable("score");
            e.HasKey(x => x.ScoreId);
            foreach (var json in new[] { nameof(ScoreRecord.Reasons), nameof(ScoreRecord.Contributions), nameof(ScoreRecord.Features) })
                e.Property(json).HasColumnType("jsonb");
        });
    }
}
