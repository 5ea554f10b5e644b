using LoanRecovery.Segmentation.Domain;
using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.Segmentation.Persistence;

public sealed class SegmentationDbContext(DbContextOptions<SegmentationDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<LoanPosition> LoanPositions => Set<LoanPosition>();
    public DbSet<RecoveryOutcome> RecoveryOutcomes => Set<RecoveryOutcome>();
    public DbSet<SegmentModelVersion> SegmentModels => Set<SegmentModelVersion>();
    public DbSet<SegmentAssignment> SegmentAssignments => Set<SegmentAssignment>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LoanPosition>(e => { e.ToTable("loan_position"); e.HasKey(x => x.LoanId); });
        modelBuilder.Entity<RecoveryOutcome>(e => { e.ToTable("recovery_outcome"); e.HasKey(x => x.OutcomeId); });
        modelBuilder.Entity<SegmentModelVersion>(e => { e.ToTable("segment_model"); e.HasKey(x => x.Version); });
        modelBuilder.Entity<SegmentAssignment>(e => { e.ToTable("segment_assignment"); e.HasKey(x => x.BorrowerId); });
    }
}

internal static class SegmentModelMapping
{
    public static SegmentModel ToDomain(this SegmentModelVersion row) =>
        new(row.FeatureNames, row.Means, row.Scales, Rows(row.ClusteringCentroids, row.K), Rows(row.Centroids, row.K), row.Labels, row.Sizes,
            row.Silhouette, row.Inertia, row.RowCount);

    public static double[][] CentroidRows(this SegmentModelVersion row) => Rows(row.Centroids, row.K);

    public static double[] Flatten(double[][] rows) => rows.SelectMany(r => r).ToArray();

    private static double[][] Rows(double[] flat, int k)
    {
        var d = flat.Length / k;
        return Enumerable.Range(0, k).Select(c => flat.AsSpan(c * d, d).ToArray()).ToArray();
    }
}
