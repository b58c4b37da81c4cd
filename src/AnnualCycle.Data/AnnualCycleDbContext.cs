using AnnualCycle.Data.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AnnualCycle.Data;

/// <summary>
/// The product's data. Split over partial files by concept (people, cycles, …); a <c>DbSet</c>'s name is its table's
/// name, and each concept's entity configuration is an <see cref="IEntityTypeConfiguration{TEntity}"/> in this assembly.
/// </summary>
public partial class AnnualCycleDbContext(DbContextOptions<AnnualCycleDbContext> options) : IdentityDbContext<AppUser>(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AnnualCycleDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC DateTime on both providers: SQLite cannot order DateTimeOffset and
        // Npgsql refuses non-UTC values. Reading back marks them Utc so nobody mistakes them for local time.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        // An enum (a state, a kind) is stored by its name: readable in the database, and its members may be reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(EntityConfigurationExtensions.EnumNameLength);
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => EnsureUtc(v),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
{
    private static DateTime EnsureUtc(DateTime value) => value.Kind == DateTimeKind.Utc
        ? value
        : throw new ArgumentException($"Only UTC instants may be stored, got a {value.Kind} DateTime ({value:O}).");
}
