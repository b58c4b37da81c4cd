using AnnualCycle.Data;
using AnnualCycle.Data.Calendar;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Data;

/// <summary>
/// The same write, read-back and date-range query on both providers. The range is a Europe/Stockholm
/// calendar day across the autumn daylight-saving change (2026-10-25 has 25 hours), so an off-by-one-hour
/// conversion on either side shows up as a missing or an extra row. The rows are job leases, the smallest table with
/// an instant (the unused Meetings table they once used is gone).
/// </summary>
public abstract class PersistenceRoundTripTests
{
    private static readonly StockholmTime Stockholm = StockholmTime.Default;

    protected abstract Task<AnnualCycleDbContext> CreateContextAsync();

    [Fact]
    public async Task Instants_RoundTripWithUtcInstants_AndQueryByStockholmDayAcrossDstChange()
    {
        await using (var db = await CreateContextAsync())
        {
            db.JobLeases.AddRange(
                Lease("before", new DateOnly(2026, 10, 24), new TimeOnly(23, 30)),
                // 00:30 local on the 25th is still summer time (UTC+2): 2026-10-24T22:30Z.
                Lease("first-minute", new DateOnly(2026, 10, 25), new TimeOnly(0, 30)),
                // 23:30 local on the 25th is winter time (UTC+1): 2026-10-25T22:30Z.
                Lease("last-hour", new DateOnly(2026, 10, 25), new TimeOnly(23, 30)),
                Lease("after", new DateOnly(2026, 10, 26), new TimeOnly(0, 15)));
            await db.SaveChangesAsync();
        }

        await using (var db = await CreateContextAsync())
        {
            var from = Stockholm.ToInstant(new DateOnly(2026, 10, 25), TimeOnly.MinValue).UtcDateTime;
            var to = Stockholm.ToInstant(new DateOnly(2026, 10, 26), TimeOnly.MinValue).UtcDateTime;
            Assert.Equal(TimeSpan.FromHours(25), to - from);

            var inDay = await db.JobLeases
                .Where(l => l.Holder == "test-org" && l.ExpiresAtUtc >= from && l.ExpiresAtUtc < to)
                .OrderBy(l => l.ExpiresAtUtc)
                .ToListAsync();

            Assert.Equal(["first-minute", "last-hour"], inDay.Select(l => l.Name));
            Assert.All(inDay, l => Assert.Equal(DateTimeKind.Utc, l.ExpiresAtUtc.Kind));
            Assert.Equal(new DateTime(2026, 10, 24, 22, 30, 0, DateTimeKind.Utc), inDay[0].ExpiresAtUtc);
            Assert.Equal(new DateTime(2026, 10, 25, 22, 30, 0, DateTimeKind.Utc), inDay[1].ExpiresAtUtc);
        }
    }

    [Fact]
    public async Task SavingALocalDateTime_IsRefused()
    {
        await using var db = await CreateContextAsync();
        db.JobLeases.Add(new JobLeaseEntity
        {
            Name = "local",
            Holder = "test-org",
            ExpiresAtUtc = new DateTime(2026, 3, 29, 8, 0, 0, DateTimeKind.Local),
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
        Assert.Contains("Only UTC instants may be stored", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// One convention of the context stores every enum by its name (a column naming only its length keeps it): what a
    /// person reading the table, or a raw SQL statement, sees is the member's name, and it reads back as the member.
    /// </summary>
    [Fact]
    public async Task Enums_AreStoredByTheirNames_AndReadBackAsTheirMembers()
    {
        var key = Guid.NewGuid().ToString("N");
        var at = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
        await using (var db = await CreateContextAsync())
        {
            db.CalendarTokens.Add(new CalendarTokenEntity { Id = Guid.NewGuid(), OwnerKind = CalendarOwnerKind.Body, OwnerId = "HSN", OrganisationId = "test-org", TokenHash = key + key, CreatedAtUtc = at });
            db.OutboxMessages.Add(new OutboxMessageEntity { Id = Guid.NewGuid(), Kind = EmailKind.DueToday, RecipientUserId = "u-test", DedupKey = key, CreatedAtUtc = at, State = OutboxState.DeadLetter });
            await db.SaveChangesAsync();
        }

        await using (var db = await CreateContextAsync())
        {
            Assert.Equal("Body", await db.Database.SqlQuery<string>($"SELECT \"OwnerKind\" AS \"Value\" FROM \"CalendarTokens\" WHERE \"TokenHash\" = {key + key}").SingleAsync());
            Assert.Equal("DueToday", await db.Database.SqlQuery<string>($"SELECT \"Kind\" AS \"Value\" FROM \"OutboxMessages\" WHERE \"DedupKey\" = {key}").SingleAsync());
            Assert.Equal("DeadLetter", await db.Database.SqlQuery<string>($"SELECT \"State\" AS \"Value\" FROM \"OutboxMessages\" WHERE \"DedupKey\" = {key}").SingleAsync());
            var row = await db.OutboxMessages.SingleAsync(o => o.DedupKey == key);
            Assert.Equal((EmailKind.DueToday, OutboxState.DeadLetter), (row.Kind, row.State));
            Assert.Equal(CalendarOwnerKind.Body, (await db.CalendarTokens.SingleAsync(t => t.TokenHash == key + key)).OwnerKind);
        }
    }

    private static JobLeaseEntity Lease(string name, DateOnly date, TimeOnly time) => new()
    {
        Name = name,
        Holder = "test-org",
        ExpiresAtUtc = Stockholm.ToInstant(date, time).UtcDateTime,
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
