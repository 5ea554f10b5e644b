using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>
/// Base of every service's DbContext: one schema, snake_case names, and the inbox and outbox tables that
/// make a consumer's writes and the events they cause commit together.
/// </summary>
public abstract class ServiceDbContext : DbContext
{
    protected ServiceDbContext(DbContextOptions options) : base(options)
    {
        Schema = options.FindExtension<ServiceSchemaExtension>()?.Schema
                 ?? throw new InvalidOperationException($"{GetType().Name} needs its schema: configure it with UseServiceSchema");
        // Every write runs in one transaction that commits or rolls back whole (UnitOfWork); nothing catches a failed
        // SaveChanges to carry on in the same transaction, so the savepoint EF Core would otherwise set and release
        // around each SaveChanges is two database round trips per save for nothing.
        Database.AutoSavepointsEnabled = false;
    }

    public string Schema { get; }

    public DbSet<InboxState> InboxStates => Set<InboxState>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<InboxState>(e =>
        {
            e.ToTable("inbox_state");
            e.HasKey(x => new { x.MessageId, x.ConsumerId });
        });
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_message");
            e.HasKey(x => x.SequenceNumber);
            e.Property(x => x.SequenceNumber).ValueGeneratedOnAdd();
            e.Property(x => x.Body).HasColumnType("jsonb");
        });
        ConfigureModel(modelBuilder);
        SnakeCaseNames.Apply(modelBuilder);
    }

    /// <summary>The service's own entities.</summary>
    protected abstract void ConfigureModel(ModelBuilder modelBuilder);
}
