using AnnualCycle.Data.Changes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Data;

public static class DataServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "AnnualCycle.Migrations.Sqlite";
    public const string PostgreSqlMigrationsAssembly = "AnnualCycle.Migrations.PostgreSql";

    /// <summary>The SQLite database's file name in the data folder.</summary>
    public const string SqliteFileName = "annualcycle.db";

    /// <summary>Registers <see cref="AnnualCycleDbContext"/> on the provider named by <c>Database:Provider</c>.</summary>
    public static IServiceCollection AddAnnualCycleData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        var dataFolder = DataFolder.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton(dataFolder);
        services.AddSingleton<CycleChangeNotifier>();
        services.AddSingleton<CycleChangeInterceptor>();
        services.AddSingleton<CycleChangeTransactionInterceptor>();
        services.AddDbContext<AnnualCycleDbContext>((sp, b) => ConfigureWithInterceptors(sp, b, options, dataFolder));
        services.AddDbContextFactory<AnnualCycleDbContext>((sp, b) => ConfigureWithInterceptors(sp, b, options, dataFolder), ServiceLifetime.Scoped);
        return services;
    }

    private static void ConfigureWithInterceptors(IServiceProvider services, DbContextOptionsBuilder builder, DatabaseOptions options, DataFolder dataFolder)
    {
        Configure(builder, options, dataFolder);
        builder.AddInterceptors(
            services.GetRequiredService<CycleChangeInterceptor>(),
            services.GetRequiredService<CycleChangeTransactionInterceptor>());
    }

    public static DatabaseOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.ConnectionString ??= configuration.GetConnectionString("AnnualCycle");
        if (options.Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(
                "Database:Provider is PostgreSql but no connection string is set: give Database:ConnectionString or ConnectionStrings:AnnualCycle.");
        }

        return options;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, DataFolder dataFolder)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = dataFolder.Combine(SqliteFileName);
                builder.UseSqlite($"Data Source={file};Pooling=True", o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(options.ConnectionString, o => o.MigrationsAssembly(PostgreSqlMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }
    }
}
