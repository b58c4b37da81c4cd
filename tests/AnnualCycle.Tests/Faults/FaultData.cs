using System.Text.Json;
using AnnualCycle.Cli;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Notifications;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// The database a fault test's web processes share (a SQLite file in a temp folder, or a PostgreSQL database), with
/// the settings that point a <see cref="WebProcess"/> and the <c>verify-journal</c> verb at it, and a context of the
/// test's own to seed it and to read what survived.
/// </summary>
public sealed class FaultData : IAsyncDisposable
{
    public const string FromDomain = "faults.test";

    private readonly ServiceProvider _provider;
    private readonly string _folder;

    private FaultData(Dictionary<string, string> settings, string folder)
    {
        Settings = settings;
        _folder = folder;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddAnnualCycleData(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build());
        _provider = services.BuildServiceProvider();
    }

    public Dictionary<string, string> Settings { get; }

    public string Provider => Settings["Database:Provider"];

    public static Task<FaultData> CreateAsync(string provider) =>
        provider == "PostgreSql" ? PostgreSqlAsync(null) : SqliteAsync();

    public static async Task<FaultData> SqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-fault-").FullName;
        var data = new FaultData(Base(folder, "Sqlite"), folder);
        await data.MigrateAsync();
        return data;
    }

    /// <param name="connectionString">A database of the test's own (e.g. on a cluster it restarts); null: a new one on the shared server.</param>
    public static async Task<FaultData> PostgreSqlAsync(string? connectionString)
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-fault-").FullName;
        var settings = Base(folder, "PostgreSql");
        settings["Database:ConnectionString"] = connectionString ?? await PostgresServer.CreateDatabaseAsync("fault");
        var data = new FaultData(settings, folder);
        await data.MigrateAsync();
        return data;
    }

    private static Dictionary<string, string> Base(string folder, string provider) => new()
    {
        ["DataFolder"] = folder,
        ["Database:Provider"] = provider,
        ["Demo:Seed"] = "true",
        ["Email:From"] = $"Årshjulet <arshjul@{FromDomain}>",
        ["Email:Smtp:TimeoutSeconds"] = "10",
        ["PublicBaseUrl"] = "https://arshjul.faults.test",
    };

    /// <summary>The settings with the SMTP server of <paramref name="smtp"/>.</summary>
    public Dictionary<string, string> With(SmtpServerFixture smtp) => new(Settings)
    {
        ["Email:Smtp:Host"] = smtp.Host,
        ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
    };

    public async Task<T> DbAsync<T>(Func<AnnualCycleDbContext, Task<T>> work)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>());
    }

    /// <summary>Records <paramref name="count"/> weekly digests (rows that need no cycle) for 20 users of the test's own.</summary>
    public Task<List<Guid>> RecordDigestsAsync(int count) => DbAsync(async db =>
    {
        var users = Enumerable.Range(1, 20).Select(i => $"fault-user-{i:00}").ToList();
        foreach (var id in users.Except(await db.Users.Where(u => u.Id.StartsWith("fault-user-")).Select(u => u.Id).ToListAsync()))
        {
            var email = $"{id}@{FromDomain}";
            db.Users.Add(new AppUser
            {
                Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                DisplayName = id, EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"),
            });
        }

        var payload = JsonSerializer.Serialize(new DigestPayload("region-vasterbotten",
            [new DigestItem("Budget 2027", "Återkopplingsrapport", "Hälso- och sjukvårdsnämnden", DateTimeOffset.UtcNow.AddDays(10), "/steg/x")]));
        var now = DateTime.UtcNow;
        var rows = Enumerable.Range(0, count).Select(i => new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.WeeklyDigest,
            RecipientUserId = users[i % users.Count],
            DedupKey = $"fault:{Guid.NewGuid():N}",
            CreatedAtUtc = now.AddTicks(i * TimeSpan.TicksPerMillisecond),
            State = OutboxState.Pending,
            PayloadJson = payload,
        }).ToList();
        db.OutboxMessages.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.Select(r => r.Id).ToList();
    });

    public Task<List<OutboxMessageEntity>> OutboxAsync() => DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());

    public static string MessageIdOf(Guid outboxId) => $"{outboxId:N}@{FromDomain}";

    /// <summary>The <c>verify-journal</c> verb against this database: its exit code and output.</summary>
    public async Task<(int Code, string Output)> VerifyJournalAsync()
    {
        var args = new List<string> { "verify-journal" };
        foreach (var (key, value) in Settings)
        {
            args.Add("--" + key);
            args.Add(value);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args.ToArray(), stdout, stderr);
        return (code, stdout + "\n" + stderr);
    }

    /// <summary>Every message in the maildir, counted by Message-ID.</summary>
    public static Dictionary<string, int> CountByMessageId(IReadOnlyList<MimeMessage> messages) =>
        messages.GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count());

    private async Task MigrateAsync() => await DatabaseMigrator.MigrateAsync(_provider);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
