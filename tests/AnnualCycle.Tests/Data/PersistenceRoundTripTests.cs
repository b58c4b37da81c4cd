using AnnualCycle.Data;
using AnnualCycle.Data.Entities;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Data;

/// <summary>
/// The same write, read-back and date-range query on both providers. The range is a Europe/Stockholm
/// calendar day across the autumn daylight-saving change (2026-10-25 has 25 hours), so an off-by-one-hour
/// conversion on either side shows up as a missing or an extra row.
/// </summary>
public abstract class PersistenceRoundTripTests
{
    private static readonly StockholmTime Stockholm = StockholmTime.Default;

    protected abstract Task<AnnualCycleDbContext> CreateContextAsync();

    [Fact]
    public async Task Meetings_RoundTripWithUtcInstants_AndQueryByStockholmDayAcrossDstChange()
    {
        await using (var db = await CreateContextAsync())
        {
            db.Meetings.AddRange(
                Meeting("before", new DateOnly(2026, 10, 24), new TimeOnly(23, 30)),
                // 00:30 local on the 25th is still summer time (UTC+2): 2026-10-24T22:30Z.
                Meeting("first-minute", new DateOnly(2026, 10, 25), new TimeOnly(0, 30)),
                // 23:30 local on the 25th is winter time (UTC+1): 2026-10-25T22:30Z.
                Meeting("last-hour", new DateOnly(2026, 10, 25), new TimeOnly(23, 30)),
                Meeting("after", new DateOnly(2026, 10, 26), new TimeOnly(0, 15)));
            await db.SaveChangesAsync();
        }

        await using (var db = await CreateContextAsync())
        {
            var from = Stockholm.ToInstant(new DateOnly(2026, 10, 25), TimeOnly.MinValue).UtcDateTime;
            var to = Stockholm.ToInstant(new DateOnly(2026, 10, 26), TimeOnly.MinValue).UtcDateTime;
            Assert.Equal(TimeSpan.FromHours(25), to - from);

            var inDay = await db.Meetings
                .Where(m => m.OrganisationId == "test-org" && m.StartsAtUtc >= from && m.StartsAtUtc < to)
                .OrderBy(m => m.StartsAtUtc)
                .ToListAsync();

            Assert.Equal(["first-minute", "last-hour"], inDay.Select(m => m.Title));
            Assert.All(inDay, m => Assert.Equal(DateTimeKind.Utc, m.StartsAtUtc.Kind));
            Assert.Equal(new DateTime(2026, 10, 24, 22, 30, 0, DateTimeKind.Utc), inDay[0].StartsAtUtc);
            Assert.Equal(new DateTime(2026, 10, 25, 22, 30, 0, DateTimeKind.Utc), inDay[1].StartsAtUtc);
        }
    }

    [Fact]
    public async Task SavingALocalDateTime_IsRefused()
    {
        await using var db = await CreateContextAsync();
        db.Meetings.Add(new Meeting
        {
            OrganisationId = "test-org",
            BodyId = "RS",
            StartsAtUtc = new DateTime(2026, 3, 29, 8, 0, 0, DateTimeKind.Local),
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
        Assert.Contains("Only UTC instants may be stored", error.ToString(), StringComparison.Ordinal);
    }

    private static Meeting Meeting(string title, DateOnly date, TimeOnly time) => new()
    {
        OrganisationId = "test-org",
        BodyId = "RF",
        StartsAtUtc = Stockholm.ToInstant(date, time).UtcDateTime,
        Title = title,
    };

    protected static async Task<AnnualCycleDbContext> MigratedAsync(DatabaseOptions options, DataFolder folder)
    {
        var builder = new DbContextOptionsBuilder<AnnualCycleDbContext>();
        DataServiceCollectionExtensions.Configure(builder, options, folder);
        var db = new AnnualCycleDbContext(builder.Options);
        await db.Database.MigrateAsync();
        return db;
    }
}

public sealed class SqlitePersistenceRoundTripTests : PersistenceRoundTripTests
{
    private readonly DataFolder _folder = new(Directory.CreateTempSubdirectory("annualcycle-sqlite-").FullName);

    protected override Task<AnnualCycleDbContext> CreateContextAsync() =>
        MigratedAsync(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, _folder);
}

public sealed class PostgreSqlPersistenceRoundTripTests(PostgresDatabase database)
    : PersistenceRoundTripTests, IClassFixture<PostgresDatabase>
{
    protected override Task<AnnualCycleDbContext> CreateContextAsync() =>
        MigratedAsync(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = database.ConnectionString }, new DataFolder(Path.GetTempPath()));
}
