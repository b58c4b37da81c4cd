using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>Importing a year's sammanträdesplan on the production shape (PostgreSQL), and a later cycle planned against it.</summary>
[Collection(HostCollection.Name)]
public sealed class MeetingImportTests
{
    private const string Url = "/api/v1/organisations/region-vasterbotten/meetings/2026";

    [Fact]
    public async Task CsvImport_IsStored_Listed_AndUsedByACycleStartedAfterwards()
    {
        await using var host = await PostgresHostAsync("meetcsv");
        using var po = await host.SignInAsync("processagare@demo.local");
        // Regionfullmäktige moves its November meeting a week earlier: the regionplan of cycle 2027 must follow.
        const string csv = "body;date;title\nRF;2026-02-17;Fullmäktige\nRF;2026-04-21;Fullmäktige\nRegionfullmäktige;2026-06-09;\"Fullmäktige; juni\"\nRF;2026-09-22;Fullmäktige\nRF;2026-11-17;Budgetfullmäktige\n";

        var dryRun = await po.PostAsync(Url + "?dryRun=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var beforeImport = await po.GetFromJsonAsync<JsonElement>(Url);
        var imported = await po.PostAsync(Url, new StringContent(csv, Encoding.UTF8, "text/csv"));
        var calendar = await po.GetFromJsonAsync<JsonElement>(Url);
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var regionplan = await ClockedHost.StepAsync(po, cycleId, "regionplan");

        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        var dry = await ApiClient.JsonAsync(dryRun);
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(5, dry.GetProperty("meetings").GetArrayLength());
        Assert.False(beforeImport.GetProperty("imported").GetBoolean());
        Assert.Contains(beforeImport.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("bodyId").GetString() == "RF" && m.GetProperty("date").GetString() == "2026-11-24");

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.True(calendar.GetProperty("imported").GetBoolean());
        var rf = calendar.GetProperty("meetings").EnumerateArray().Where(m => m.GetProperty("bodyId").GetString() == "RF").ToList();
        Assert.Equal(["2026-02-17", "2026-04-21", "2026-06-09", "2026-09-22", "2026-11-17"], rf.Select(m => m.GetProperty("date").GetString()));
        Assert.All(rf, m => Assert.Equal("import", m.GetProperty("source").GetString()));
        Assert.Equal("Fullmäktige; juni", rf[2].GetProperty("title").GetString());
        Assert.Equal("Regionfullmäktige", rf[0].GetProperty("bodyName").GetString());
        // Bodies the file does not name keep the organisation file's meetings.
        Assert.Contains(calendar.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("bodyId").GetString() == "HSN" && m.GetProperty("source").GetString() == "file");

        var due = StockholmTime.Default.LocalDate(new DateTimeOffset(regionplan.GetProperty("dueAtUtc").GetDateTime(), TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 17), due);

        // Subscribed calendars follow the import too: regionfullmäktige's feed has the moved meeting, not the old one.
        var subscription = await ApiClient.JsonAsync(await po.PostAsync("/api/v1/bodies/region-vasterbotten/RF/calendar/renew", null));
        var feed = await po.GetStringAsync(new Uri(subscription.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Contains(":20261117T", feed, StringComparison.Ordinal);
        Assert.DoesNotContain(":20261124T", feed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCsv_Returns400_NamingEachLineAndColumn_AndStoresNothing()
    {
        await using var host = await PostgresHostAsync("meetbad");
        using var po = await host.SignInAsync("processagare@demo.local");
        const string csv = "body,date,title\nRF,2026-11-17,ok\nXYZ,2026-03-01,okänt organ\nRF,2026-13-01,fel datum\nRF,2027-01-12,fel år\n";

        var response = await po.PostAsync(Url, new StringContent(csv, Encoding.UTF8, "text/csv"));
        var calendar = await po.GetFromJsonAsync<JsonElement>(Url);

        var message = await ApiClient.FieldErrorAsync(response, "file");
        Assert.Contains("rad 3:1: okänt organ 'XYZ'", message);
        Assert.Contains("rad 4:4: '2026-13-01' är inget datum", message);
        Assert.Contains("rad 5:4: 2027-01-12 ligger utanför 2026", message);
        Assert.DoesNotContain("rad 2", message);
        Assert.False(calendar.GetProperty("imported").GetBoolean());
        Assert.DoesNotContain(calendar.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("date").GetString() == "2026-11-17");
    }

    [Fact]
    public async Task ICalendarImport_ReadsTheBodyFromCategories_AndABadEventIsNamedByUidAndLine()
    {
        await using var host = await PostgresHostAsync("meetics");
        using var po = await host.SignInAsync("processagare@demo.local");
        const string good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:hsn-1@test\r\nDTSTART;VALUE=DATE:20260311\r\nSUMMARY:Hälso- och sjukvårds\r\n nämndens sammanträde\r\nCATEGORIES:Sammanträde,Hälso- och sjukvårdsnämnden\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:hsn-2@test\r\nDTSTART;TZID=Europe/Stockholm:20261021T090000\r\nSUMMARY:HSN oktober\r\nCATEGORIES:HSN\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n";
        const string bad = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + "BEGIN:VEVENT\r\nUID:ok@test\r\nDTSTART;VALUE=DATE:20260311\r\nCATEGORIES:HSN\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:nobody@test\r\nDTSTART;VALUE=DATE:20260312\r\nCATEGORIES:Styrelsen för Mars\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:late@test\r\nDTSTART;VALUE=DATE:20270105\r\nCATEGORIES:HSN\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n";

        var refused = await po.PostAsync(Url, new StringContent(bad, Encoding.UTF8, "text/calendar"));
        var afterRefusal = await po.GetFromJsonAsync<JsonElement>(Url);
        var imported = await po.PostAsync(Url, new StringContent(good, Encoding.UTF8, "text/calendar"));
        var calendar = await po.GetFromJsonAsync<JsonElement>(Url);

        var message = await ApiClient.FieldErrorAsync(refused, "file");
        Assert.Contains("VEVENT nobody@test på rad 8", message);
        Assert.Contains("VEVENT late@test på rad 13", message);
        Assert.DoesNotContain("ok@test", message);
        Assert.False(afterRefusal.GetProperty("imported").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var hsn = calendar.GetProperty("meetings").EnumerateArray().Where(m => m.GetProperty("bodyId").GetString() == "HSN").ToList();
        Assert.Equal(["2026-03-11", "2026-10-21"], hsn.Select(m => m.GetProperty("date").GetString()));
        Assert.Equal("Hälso- och sjukvårdsnämndens sammanträde", hsn[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Import_Returns403_ForSomeoneWhoIsNotTheProcessOwner_And401_WhenAnonymous()
    {
        await using var host = await PostgresHostAsync("meet403");
        using var anonymous = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var byAnonymous = await anonymous.PostAsync(Url, new StringContent("body,date\nRF,2026-11-17\n", Encoding.UTF8, "text/csv"));
        using var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        using var admin = await host.SignInAsync("admin@demo.local");

        var byContributor = await contributor.PostAsync(Url, new StringContent("body,date\nRF,2026-11-17\n", Encoding.UTF8, "text/csv"));
        var byAdministrator = await admin.PostAsync(Url, new StringContent("body,date\nRF,2026-11-17\n", Encoding.UTF8, "text/csv"));
        var calendar = await contributor.GetFromJsonAsync<JsonElement>(Url);

        Assert.Equal(HttpStatusCode.Unauthorized, byAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byContributor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAdministrator.StatusCode);
        Assert.False(calendar.GetProperty("imported").GetBoolean());
    }

    private static async Task<ClockedHost> PostgresHostAsync(string prefix) =>
        new(AnnualCycleFactory.PostgreSql(await PostgresServer.CreateDatabaseAsync(prefix), ("Demo:Seed", "true")));
}
