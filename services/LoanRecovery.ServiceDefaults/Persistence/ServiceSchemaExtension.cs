using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>
/// Carries a service's schema in its <see cref="DbContextOptions"/>. Pooled contexts are built from their options alone, so the
/// schema cannot come from another constructor argument; and because the model depends on it, two schemas must not share one
/// EF Core service provider (which caches the model): the schema is part of that provider's identity.
/// </summary>
public sealed class ServiceSchemaExtension(string schema) : IDbContextOptionsExtension
{
    public string Schema { get; } = schema;

    public DbContextOptionsExtensionInfo Info => field ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(ServiceSchemaExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private string Schema => ((ServiceSchemaExtension)Extension).Schema;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"Schema={Schema} ";

        public override int GetServiceProviderHashCode() => StringComparer.Ordinal.GetHashCode(Schema);

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo info && info.Schema == Schema;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["LoanRecovery:Schema"] = Schema;
    }
}

public static class ServiceSchemaOptions
{
    /// <summary>Sets the schema the context's model maps to (see <see cref="ServiceSchemaExtension"/>).</summary>
    public static DbContextOptionsBuilder UseServiceSchema(this DbContextOptionsBuilder builder, string schema)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new ServiceSchemaExtension(schema));
        return builder;
    }
}
