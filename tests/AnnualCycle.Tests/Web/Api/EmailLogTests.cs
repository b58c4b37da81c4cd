using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>
/// Issue 15: the process owner cannot see which reminders went out. The email log of their organisation is theirs to
/// read (each message as its recipient got it), read-only; others are refused, and organisation is a hard boundary (the
/// authorisation matrix asks every persona and target; here what the log holds and says).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class EmailLogTests
{
    private const string Organisation = "region-vasterbotten";

    [Fact]
    public async Task ProcessOwner_ListsTheRemindersOfTheirCycle_AndReadsEach_ButNeitherADigestNorSendsAgain()
    {
        using var factory = AnnualCycleFactory.Sqlite();
        using var owner = await ApiClient.SignedInAsync(factory, "processagare@demo.local");
        using var contributor = await ApiClient.SignedInAsync(factory, "hsn.handlaggare@demo.local");
        var started = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Organisation, workflowId = Organisation, year = 2027 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var cycleId = (await ApiClient.JsonAsync(started)).GetProperty("id").GetGuid();

        Guid reminder, digest;
        string title;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            var step = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId && s.BodyId == "HSN").OrderBy(s => s.DueAtUtc).FirstAsync();
            var recipient = await db.Users.AsNoTracking().Where(u => u.Email == "hsn.handlaggare@demo.local").Select(u => u.Id).SingleAsync();
            title = step.Title;
            var recorded = step.DueAtUtc.AddDays(-7);
            reminder = Record(db, EmailKind.Reminder, recipient, cycleId, step.Id, recorded, recorded.AddSeconds(2));
            digest = Record(db, EmailKind.WeeklyDigest, recipient, null, null, recorded, recorded.AddSeconds(2));
            await db.SaveChangesAsync();
        }

        var list = await ApiClient.JsonAsync(await owner.GetAsync($"/api/v1/emails?cycleId={cycleId}"));
        var ids = list.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(reminder, ids);
        Assert.DoesNotContain(digest, ids);
        Assert.Equal("hsn.handlaggare@demo.local", list.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == reminder).GetProperty("recipientEmail").GetString());

        var message = await ApiClient.JsonAsync(await owner.GetAsync($"/api/v1/emails/{reminder}"));
        Assert.StartsWith($"Påminnelse: {title} – Hälso- och sjukvårdsnämnden (2027), ", message.GetProperty("subject").GetString());
        Assert.EndsWith("arbetsdagar kvar", message.GetProperty("subject").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains($"Det här är en påminnelse om steget ”{title}” för Hälso- och sjukvårdsnämnden", text);
        Assert.Equal("hsn.handlaggare@demo.local", message.GetProperty("to").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/v1/emails/{digest}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/v1/emails/{Guid.NewGuid()}")).StatusCode);

        // Read-only: nothing to send with, and a contributor has no log.
        Assert.True((await owner.PostAsync($"/api/v1/emails/{reminder}/send-now", null)).StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostAsync($"/api/v1/admin/emails/{reminder}/send-now", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await contributor.GetAsync("/api/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await contributor.GetAsync($"/api/v1/emails/{reminder}")).StatusCode);
    }

    private static Guid Record(AnnualCycleDbContext db, EmailKind kind, string recipient, Guid? cycleId, Guid? stepId, DateTime created, DateTime sent)
    {
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            RecipientUserId = recipient,
            CycleId = cycleId,
            StepInstanceId = stepId,
            DedupKey = "log-test:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = created,
            State = OutboxState.Sent,
            Attempts = 1,
            SentAtUtc = sent,
            PayloadJson = kind == EmailKind.WeeklyDigest ? "{}" : null,
        };
        db.OutboxMessages.Add(row);
        return row.Id;
    }
}
