using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>The real host sending through a real SMTP server that refuses "reject…" recipients.</summary>
public sealed class AdminEmailsHost : IAsyncLifetime
{
    public SmtpServerFixture Server { get; } = new(SmtpServerMode.Rejecting);

    public AnnualCycleFactory Factory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory = AnnualCycleFactory.Sqlite(("Email:Smtp:Host", Server.Host), ("Email:Smtp:Port", Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Email:From", "Årshjulet <arshjul@region-test.se>"));
        Factory.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        Server.Dispose();
    }
}

[Collection(HostCollection.Name)]
public sealed class AdminEmailsApiTests(AdminEmailsHost host) : IClassFixture<AdminEmailsHost>
{
    private const string Admin = "admin@demo.local";

    [Theory]
    [InlineData("GET", "/api/v1/admin/emails")]
    [InlineData("GET", "/api/v1/admin/emails/stats")]
    [InlineData("POST", "/api/v1/admin/emails/test")]
    [InlineData("POST", "/api/v1/admin/emails/00000000-0000-0000-0000-000000000001/send-now")]
    public async Task AdminEmails_Answer401Anonymous_And403ToANonAdministrator(string method, string path)
    {
        using var anonymous = host.Factory.CreateClient();
        using var processOwner = await ApiClient.SignedInAsync(host.Factory, "processagare@demo.local");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Request(method, path))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await processOwner.SendAsync(Request(method, path))).StatusCode);
    }

    [Fact]
    public async Task ListAndStats_Answer200ToAnAdministrator_WithFiltersAndCountsPerState()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);
        var id = await RecordAsync(OutboxState.DeadLetter);

        var page = await ApiClient.JsonAsync(await admin.GetAsync($"/api/v1/admin/emails?state=DeadLetter&recipient={Admin}"));
        var stats = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/emails/stats"));
        var badState = await admin.GetAsync("/api/v1/admin/emails?state=Lost");

        Assert.Contains(page.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id && r.GetProperty("recipientEmail").GetString() == Admin);
        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.Equal("DeadLetter", r.GetProperty("state").GetString()));
        Assert.True(stats.GetProperty("DeadLetter").GetInt32() >= 1);
        Assert.Equal(0, stats.GetProperty("Sending").GetInt32());
        await ApiClient.FieldErrorAsync(badState, "state");
    }

    [Fact]
    public async Task SendNow_SendsADeadLetter_ThenAnswers409_AndUnknownIs404()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);
        var id = await RecordAsync(OutboxState.DeadLetter);

        var accepted = await admin.PostAsync($"/api/v1/admin/emails/{id}/send-now", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var state = await WaitForStateAsync(id, OutboxState.Sent);
        Assert.Equal(OutboxState.Sent, state);
        Assert.Contains(host.Server.WaitForMessages(1), m => m.MessageId == $"{id:N}@region-test.se");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/admin/emails/{id}/send-now", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/admin/emails/{Guid.NewGuid()}/send-now", null)).StatusCode);
    }

    [Fact]
    public async Task TestEmail_ReturnsTheSmtpOutcome_AndRefusesABadAddress()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);

        var sent = await ApiClient.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/emails/test", new { to = "it@region-test.se" }));
        var refused = await ApiClient.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/emails/test", new { to = "reject-me@region-test.se" }));
        var bad = await admin.PostAsJsonAsync("/api/v1/admin/emails/test", new { to = "it@region-test.se\r\nBcc: all@region-test.se" });

        Assert.Equal("Sent", sent.GetProperty("outcome").GetString());
        Assert.Contains(host.Server.WaitForMessages(1), m => m.MessageId == sent.GetProperty("messageId").GetString() && m.To.Mailboxes.Single().Address == "it@region-test.se");
        Assert.Equal("PermanentFailure", refused.GetProperty("outcome").GetString());
        Assert.Equal(550, refused.GetProperty("statusCode").GetInt32());
        await ApiClient.FieldErrorAsync(bad, "to");
    }

    [Fact]
    public void Host_RegistersTheOutboxSweep_AndTheMondayDigestInStockholmTime()
    {
        var storage = host.Factory.Services.GetRequiredService<Hangfire.JobStorage>();
        using var connection = storage.GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);

        var sweep = Assert.Single(jobs, j => j.Id == AnnualCycle.Runtime.Email.OutboxJob.SweepJobId);
        Assert.Equal("*/1 * * * *", sweep.Cron);
        var digest = Assert.Single(jobs, j => j.Id == AnnualCycle.Runtime.Email.WeeklyDigestJob.JobId);
        Assert.Equal("0 8 * * 1", digest.Cron);
        Assert.Equal("Europe/Stockholm", digest.TimeZoneId);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { to = "x@region-test.se" }) : null };

    private async Task<Guid> RecordAsync(OutboxState state)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var admin = await db.Users.SingleAsync(u => u.Email == Admin);
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.WeeklyDigest,
            RecipientUserId = admin.Id,
            DedupKey = "test:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = DateTime.UtcNow,
            State = state,
            Attempts = 1,
            FirstAttemptAtUtc = DateTime.UtcNow.AddDays(-3),
            LastStatusCode = 550,
            LastError = "refused earlier",
            PayloadJson = """{"OrganisationId":"region-vasterbotten","Items":[]}""",
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    private async Task<OutboxState> WaitForStateAsync(Guid id, OutboxState wanted)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var scope = host.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            var state = await db.OutboxMessages.AsNoTracking().Where(o => o.Id == id).Select(o => o.State).SingleAsync();
            if (state == wanted || watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                return state;
            }

            await Task.Delay(100);
        }
    }
}
