using LoanRecovery.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.Ingestion.Persistence;

public sealed class IngestionDbContext(DbContextOptions<IngestionDbContext> options)
    : ServiceDbContext(options)
{
    public DbSet<Borrower> Borrowers => Set<Borrower>();
    public DbSet<Loan> Loans => Set<Loan>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<HistoricalOutcome> HistoricalOutcomes => Set<HistoricalOutcome>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Borrower>(e => { e.ToTable("borrower"); e.HasKey(x => x.BorrowerId); });
        modelBuilder.Entity<Loan>(e => { e.ToTable("loan"); e.HasKey(x => x.LoanId); });
        modelBuilder.Entity<Payment>(e => { e.ToTable("payment"); e.HasKey(x => x.PaymentId); });
        modelBuilder.Entity<HistoricalOutcome>(e => { e.ToTable("historical_outcome"); e.HasKey(x => x.LoanId); });
        modelBuilder.Entity<ImportRun>(e => { e.ToTable("import_run"); e.HasKey(x => x.ImportId); });
        modelBuilder.Entity<ImportRejection>(e =>
        {
            e.ToTable("import_rejection");
            e.HasKey(x => new { x.ImportId, x.RowNumber, x.ColumnName });
        });
    }
}
