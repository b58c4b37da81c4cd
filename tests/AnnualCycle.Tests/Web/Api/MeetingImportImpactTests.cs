using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>
/// A meeting-calendar import cannot break a running cycle (issue 12): its dry run lists what it does to every running
/// cycle, saving needs that impact confirmed and moves the dates through the reschedule path, an import that would leave a
/// step without a date is refused, and every save is a version that can be undone the same way. On SQLite and PostgreSQL.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class MeetingImportImpactTests
{
    private const string Url = "/api/v1/organisations/region-vasterbotten/meetings/2026";
    // 2027 is planned in the election year 2026: the new fullmäktige decide the budget.
    private const string Regionplan = "Nyvalda regionfullmäktige beslutar regionplan med budget, investeringsplan och investeringsram";

    /// <summary>Regionfullmäktige's 2026 in Swedish CSV, with its November meeting on <paramref name="november"/> (none when null).</summary>
    private static StringContent RfCalendar(string? november) => new(
        "organ;datum;rubrik\nRF;2026-02-17;Fullmäktige\nRF;2026-04-21;Fullmäktige\nRF;2026-06-09;Fullmäktige\nRF;2026-09-22;Fullmäktige\n"
        + (november is null ? "" : $"RF;{november};Budgetfullmäktige\n"),
        Encoding.UTF8, "text/csv");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DryRun_ListsTheMovedStepsOfTheRunningCycle_AndSavingMovesThemOnlyWhenConfirmed(string provider)
    {
        await using var host = await HostAsync(provider, "impact");
        using var po = await host.SignInAsync("processagare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var before = await ClockedHost.StepAsync(po, cycleId, "regionplan");

        var dryRun = await po.PostAsync(Url + "?dryRun=true", RfCalendar("2026-11-17"));
        var afterDryRun = await ClockedHost.StepAsync(po, cycleId, "regionplan");
        var withoutConfirm = await po.PostAsync(Url, RfCalendar("2026-11-17"));
        var wrongConfirm = await po.PostAsync(Url + "?confirm=0123456789abcdef", RfCalendar("2026-11-17"));
        var calendarBeforeSave = await po.GetFromJsonAsync<JsonElement>(Url);

        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        var dry = await ApiClient.JsonAsync(dryRun);
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.True(dry.GetProperty("requiresConfirmation").GetBoolean());
        Assert.Equal(JsonValueKind.Null, dry.GetProperty("refused").ValueKind);
        var cycle = Assert.Single(dry.GetProperty("impact").EnumerateArray());
        Assert.Equal(cycleId, cycle.GetProperty("cycleId").GetGuid());
        var regionplan = cycle.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Equal("moved", regionplan.GetProperty("change").GetString());
        Assert.Equal("2026-11-24", regionplan.GetProperty("oldDue").GetString());
        Assert.Equal("2026-11-17", regionplan.GetProperty("newDue").GetString());
        Assert.Equal($"{Regionplan} (Regionfullmäktige): sista dag 2026-11-24 → 2026-11-17", regionplan.GetProperty("text").GetString());
        // The steps that follow the regionplan move with it (nämndplan opens the working day after it).
        Assert.Contains(cycle.GetProperty("steps").EnumerateArray(), s => s.GetProperty("key").GetString() == "namndplan/HSN" && s.GetProperty("text").GetString()!.Contains("öppnar 2026-11-25 → 2026-11-18", StringComparison.Ordinal));
        var fingerprint = dry.GetProperty("fingerprint").GetString()!;

        // Nothing is stored by the dry run or by the refused saves.
        Assert.Equal(before.GetProperty("dueAtUtc").GetDateTime(), afterDryRun.GetProperty("dueAtUtc").GetDateTime());
        Assert.Contains("provkörning", await ApiClient.FieldErrorAsync(withoutConfirm, "confirm"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, wrongConfirm.StatusCode);
        Assert.False(calendarBeforeSave.GetProperty("imported").GetBoolean());

        var saved = await po.PostAsync(Url + "?confirm=" + fingerprint, RfCalendar("2026-11-17"));
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var result = await ApiClient.JsonAsync(saved);
        Assert.Equal(1, result.GetProperty("version").GetInt32());
        var after = await ClockedHost.StepAsync(po, cycleId, "regionplan");
        Assert.Equal(new DateOnly(2026, 11, 17), StockholmTime.Default.LocalDate(new DateTimeOffset(after.GetProperty("dueAtUtc").GetDateTime(), TimeSpan.Zero)));

        // Moved through the reschedule path: journalled per step with the cause.
        var journal = await po.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}/journal");
        Assert.Contains(journal.EnumerateArray(), j => j.GetProperty("action").GetString() == "Rescheduled" && j.GetProperty("subject").GetString() == "regionplan"
            && j.GetProperty("comment").GetString()!.Contains("sammanträdesplan 2026, version 1", StringComparison.Ordinal));

        // And Flytta in the cycle still works afterwards (issue 12: it failed with 500 after an import).
        var kickoff = await ClockedHost.StepAsync(po, cycleId, "namndplan/HSN");
        var preview = await po.PostAsJsonAsync($"/api/v1/steps/{kickoff.GetProperty("id").GetGuid()}/reschedule-preview", new { due = "2026-12-28" });
        Assert.True(preview.StatusCode == HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Import_ThatLeavesARunningCycleWithoutADate_IsRefusedWith409NamingTheSteps_AndStoresNothing(string provider)
    {
        await using var host = await HostAsync(provider, "refuse");
        using var po = await host.SignInAsync("processagare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);

        var dryRun = await ApiClient.JsonAsync(await po.PostAsync(Url + "?dryRun=true", RfCalendar(null)));
        var refused = await po.PostAsync(Url + "?confirm=" + dryRun.GetProperty("fingerprint").GetString(), RfCalendar(null));
        var calendar = await po.GetFromJsonAsync<JsonElement>(Url);
        var versions = await po.GetFromJsonAsync<JsonElement>(Url + "/versions");

        var regionplan = dryRun.GetProperty("impact")[0].GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Equal("unresolved", regionplan.GetProperty("change").GetString());
        Assert.Contains("sista sammanträdet för RF i november 2026 finns inte i sammanträdesplanen", regionplan.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(Regionplan, dryRun.GetProperty("refused").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains(Regionplan, problem, StringComparison.Ordinal);
        Assert.Contains("Nämndplan beslutas (Hälso- och sjukvårdsnämnden)", problem, StringComparison.Ordinal);
        Assert.False(calendar.GetProperty("imported").GetBoolean());
        Assert.Equal(0, versions.GetArrayLength());

        // The cycle is intact: Flytta is still possible.
        var step = await ClockedHost.StepAsync(po, cycleId, "regionplan");
        var preview = await po.PostAsJsonAsync($"/api/v1/steps/{step.GetProperty("id").GetGuid()}/reschedule-preview", new { due = "2026-11-20" });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Undo_ReimportsThePreviousVersion_ThroughTheSameDryRunAndConfirmation(string provider)
    {
        await using var host = await HostAsync(provider, "undo");
        using var po = await host.SignInAsync("processagare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        await SaveConfirmedAsync(po, Url, () => RfCalendar("2026-11-17"));
        await SaveConfirmedAsync(po, Url, () => RfCalendar("2026-11-10"));
        Assert.Equal(new DateOnly(2026, 11, 10), await DueAsync(po, cycleId, "regionplan"));

        var dryRun = await po.PostAsync(Url + "/undo?dryRun=true", null);
        var withoutConfirm = await po.PostAsync(Url + "/undo", null);
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        var dry = await ApiClient.JsonAsync(dryRun);
        var moved = dry.GetProperty("impact")[0].GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Equal($"{Regionplan} (Regionfullmäktige): sista dag 2026-11-10 → 2026-11-17", moved.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, withoutConfirm.StatusCode);
        Assert.Equal(new DateOnly(2026, 11, 10), await DueAsync(po, cycleId, "regionplan"));

        var undone = await po.PostAsync(Url + "/undo?confirm=" + dry.GetProperty("fingerprint").GetString(), null);
        Assert.True(undone.StatusCode == HttpStatusCode.OK, await undone.Content.ReadAsStringAsync());
        Assert.Equal(new DateOnly(2026, 11, 17), await DueAsync(po, cycleId, "regionplan"));
        var calendar = await po.GetFromJsonAsync<JsonElement>(Url);
        Assert.Contains(calendar.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("bodyId").GetString() == "RF" && m.GetProperty("date").GetString() == "2026-11-17");
        Assert.DoesNotContain(calendar.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("bodyId").GetString() == "RF" && m.GetProperty("date").GetString() == "2026-11-10");

        // Each save is a version with who and when; the undo says which version it restored.
        var versions = (await po.GetFromJsonAsync<JsonElement>(Url + "/versions")).EnumerateArray().ToList();
        Assert.Equal([3, 2, 1], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("undo", versions[0].GetProperty("kind").GetString());
        Assert.Equal(1, versions[0].GetProperty("restoresVersion").GetInt32());
        Assert.True(versions[0].GetProperty("current").GetBoolean());
        Assert.All(versions, v => Assert.Equal("Processägare (ekonomistaben)", v.GetProperty("importedBy").GetString()));
        Assert.All(versions, v => Assert.Equal(ClockedHost.DefaultNow.UtcDateTime, v.GetProperty("importedAtUtc").GetDateTime()));

        // Undoing again walks further back: to version 0, the organisation file's meetings (RF's 24 November); then nothing is left.
        await SaveConfirmedAsync(po, Url + "/undo", () => null);
        Assert.Equal(new DateOnly(2026, 11, 24), await DueAsync(po, cycleId, "regionplan"));
        Assert.Equal(0, (await po.GetFromJsonAsync<JsonElement>(Url + "/versions"))[0].GetProperty("restoresVersion").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await po.PostAsync(Url + "/undo?dryRun=true", null)).StatusCode);
    }

    [Fact]
    public async Task Undo_WithNothingImported_Is409_AndVersions_AreTheProcessOwners()
    {
        await using var host = await HostAsync("sqlite", "undo0");
        using var po = await host.SignInAsync("processagare@demo.local");
        using var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");

        var undo = await po.PostAsync(Url + "/undo", null);
        var versions = await contributor.GetAsync(Url + "/versions");
        var undoByContributor = await contributor.PostAsync(Url + "/undo?dryRun=true", null);

        Assert.Equal(HttpStatusCode.Conflict, undo.StatusCode);
        Assert.Contains("ingen sparad inläsning", await undo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, versions.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, undoByContributor.StatusCode);
    }

    private static async Task SaveConfirmedAsync(HttpClient po, string url, Func<HttpContent?> content)
    {
        var dry = await ApiClient.JsonAsync(await po.PostAsync(url + "?dryRun=true", content()));
        var saved = await po.PostAsync(url + "?confirm=" + dry.GetProperty("fingerprint").GetString(), content());
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    private static async Task<DateOnly> DueAsync(HttpClient client, Guid cycleId, string key) =>
        StockholmTime.Default.LocalDate(new DateTimeOffset((await ClockedHost.StepAsync(client, cycleId, key)).GetProperty("dueAtUtc").GetDateTime(), TimeSpan.Zero));

    private static async Task<ClockedHost> HostAsync(string provider, string prefix) => provider == "postgres"
        ? new(AnnualCycleFactory.PostgreSql(await PostgresServer.CreateDatabaseAsync(prefix), ("Demo:Seed", "true")))
        : new(AnnualCycleFactory.Sqlite(("Demo:Seed", "true")));
}
