using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>The engine with the email dispatcher, sending to a real aiosmtpd (or the pick-up folder when no server is given).</summary>
public abstract class EmailTestBase : EngineTestBase
{
    public const string BaseUrl = "https://arshjul.test";
    public const string FromDomain = "region-test.se";

    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();

    protected static Dictionary<string, string?> EmailSettings(SmtpServerFixture? server, SmtpSecurity security = SmtpSecurity.None) => new()
    {
        ["Email:Smtp:Host"] = server?.Host,
        ["Email:Smtp:Port"] = server?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = security.ToString(),
        ["Email:Smtp:AcceptAnyCertificate"] = "true",
        ["Email:Smtp:TimeoutSeconds"] = "10",
        ["Email:From"] = $"Årshjulet <arshjul@{FromDomain}>",
        ["PublicBaseUrl"] = BaseUrl,
    };

    protected static Task<EngineHarness> SqliteWithEmailAsync(SmtpServerFixture? server, SmtpSecurity security = SmtpSecurity.None, Func<IServiceProvider, IMailTransport>? transport = null, int connections = 1) =>
        EngineHarness.SqliteAsync(settings: WithConnections(EmailSettings(server, security), connections), configure: (services, configuration) => AddEmail(services, configuration, transport));

    protected static async Task<EngineHarness> PostgreSqlWithEmailAsync(SmtpServerFixture? server, string prefix, Func<IServiceProvider, IMailTransport>? transport = null, int connections = 1) =>
        await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync(prefix), settings: WithConnections(EmailSettings(server), connections), configure: (services, configuration) => AddEmail(services, configuration, transport));

    /// <summary>The harness on <paramref name="provider"/> ("Sqlite" or "PostgreSql"), the dispatcher sending over <paramref name="connections"/> SMTP connections.</summary>
    protected static Task<EngineHarness> WithEmailAsync(string provider, SmtpServerFixture? server, Func<IServiceProvider, IMailTransport>? transport = null, int connections = 1) =>
        provider == "PostgreSql" ? PostgreSqlWithEmailAsync(server, "email", transport, connections) : SqliteWithEmailAsync(server, transport: transport, connections: connections);

    private static Dictionary<string, string?> WithConnections(Dictionary<string, string?> settings, int connections)
    {
        settings["Email:Smtp:Connections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static void AddEmail(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, Func<IServiceProvider, IMailTransport>? transport)
    {
        if (transport is not null)
        {
            services.UseMailTransport(transport);
        }
    }

    protected static Task<DispatchSummary> DispatchAsync(EngineHarness h) =>
        h.InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().RunAsync());

    protected static Task<List<OutboxMessageEntity>> OutboxAsync(EngineHarness h) =>
        h.DbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(o => o.CreatedAtUtc).ToListAsync());

    protected static string MessageIdOf(EngineHarness h, Guid outboxId) =>
        h.Services.GetRequiredService<MimeMessageBuilder>().MessageIdFor(outboxId);

    protected static string AddressOf(string userId) => userId + "@test.local";

    protected static string To(MimeMessage message) => string.Join(",", message.To.Mailboxes.Select(m => m.Address));

    /// <summary>Records <paramref name="count"/> "completed" notifications of a real step straight into the outbox.</summary>
    protected static async Task<List<Guid>> RecordRowsAsync(EngineHarness h, int count, string recipient, EmailKind kind = EmailKind.Completed, string stepKey = "forutsattningar")
    {
        var step = await StepAsync(h, stepKey);
        var now = h.Clock.GetUtcNow().UtcDateTime;
        var rows = Enumerable.Range(0, count).Select(i => new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            RecipientUserId = recipient,
            CycleId = step.CycleId,
            StepInstanceId = step.Id,
            DedupKey = $"test:{Guid.NewGuid():N}",
            CreatedAtUtc = now.AddTicks(i * TimeSpan.TicksPerMillisecond),
            State = OutboxState.Pending,
        }).ToList();
        await h.DbAsync(async db =>
        {
            db.OutboxMessages.AddRange(rows);
            return await db.SaveChangesAsync();
        });
        return rows.Select(r => r.Id).ToList();
    }

    protected static Task SetEmailAsync(EngineHarness h, string userId, string email) =>
        h.DbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, email)));
}

/// <summary>
/// Wraps a transport's sessions: just before each message's end of data goes (after the dispatcher's hook), counts the
/// outbox rows recorded Sent in the database, as an observer outside the dispatcher would.
/// </summary>
public sealed class RecordingTransport(IMailTransport inner, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes) : IMailTransport
{
    public List<int> SentBeforeContent { get; } = [];

    // The transport is a singleton seam and the context factory is scoped: a scope of its own per count.
    private Microsoft.Extensions.DependencyInjection.IServiceScopeFactory Scopes => scopes;

    public Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendBatchAsync(messages, cancellationToken);

    public async ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new Session(this, await inner.OpenSessionAsync(cancellationToken));

    private sealed class Session(RecordingTransport owner, IMailSession inner) : IMailSession
    {
        public Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default) =>
            inner.SendAsync(message, async () =>
            {
                if (beforeEnd is not null)
                {
                    await beforeEnd();
                }

                await using var scope = owner.Scopes.CreateAsyncScope();
                await using var db = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AnnualCycle.Data.AnnualCycleDbContext>>(scope.ServiceProvider).CreateDbContextAsync(cancellationToken);
                var sent = await db.OutboxMessages.CountAsync(o => o.State == OutboxState.Sent, cancellationToken);
                lock (owner.SentBeforeContent)
                {
                    owner.SentBeforeContent.Add(sent);
                }
            }, beforeEndTimeout, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>A transport that throws instead of reporting per message: a bug the dispatcher must survive.</summary>
public sealed class ThrowingTransport : IMailTransport
{
    public Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("transport bug");
}
