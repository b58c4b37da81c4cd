using AnnualCycle.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AnnualCycle.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider without the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AnnualCycleDbContext>
{
    public AnnualCycleDbContext CreateDbContext(string[] args)
    {
        var options = new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = "Host=localhost;Database=annualcycle_design;Username=postgres",
        };
        var builder = new DbContextOptionsBuilder<AnnualCycleDbContext>();
        DataServiceCollectionExtensions.Configure(builder, options, new DataFolder(Path.GetTempPath()));
        return new AnnualCycleDbContext(builder.Options);
    }
}
