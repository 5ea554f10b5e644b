using LoanRecovery.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>
/// Base of every service's DbContext: one schema, snake_case names, and the inbox and outbox tables that
/// make a consumer's writes and the events they cause commit together.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options, string schema) : DbContext(options)
{
    public string Schema { get; } = schema;

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
