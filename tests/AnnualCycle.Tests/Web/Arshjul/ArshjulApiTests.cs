using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Arshjul;

/// <summary>One host on SQLite at 15 June 2026 with the cycles 2026 (in follow-up) and 2027 (in planning) started.</summary>
public sealed class ArshjulHost : IAsyncLifetime
{
    public ClockedHost Host { get; } = new(AnnualCycleFactory.Sqlite());

    public Guid Cycle2026 { get; private set; }

    public Guid Cycle2027 { get; private set; }

    public HttpClient ProcessOwner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ProcessOwner = await Host.SignInAsync("processagare@demo.local");
        Cycle2026 = await ClockedHost.StartCycleAsync(ProcessOwner, 2026);
        Cycle2027 = await ClockedHost.StartCycleAsync(ProcessOwner, 2027);
    }

    public async Task DisposeAsync()
    {
        ProcessOwner.Dispose();
        await Host.DisposeAsync();
    }
}

[Collection(HostCollection.Name)]
public sealed class ArshjulApiTests(ArshjulHost fixture) : IClassFixture<ArshjulHost>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task CycleWheel_LinksEachArcToItsStepPage_NamesTheBodies_PutsTheNeedleAtToday_AndMarksOverdue()
    {
        var response = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.svg");
        var steps = await ClockedHost.StepsAsync(fixture.ProcessOwner, fixture.Cycle2027);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var arcs = WithClass(doc, "arc").ToList();
        var hrefs = arcs.Select(a => (string?)a.Attribute("href")).ToHashSet();
        // The default year of cycle 2027 is 2026, its planning year: every step of the cycle inside 2026 is an arc.
        var in2026 = steps.Where(s => s.GetProperty("dueAtUtc").GetDateTime().Year == 2026 && s.GetProperty("opensAtUtc").GetDateTime().Year == 2026).ToList();
        Assert.NotEmpty(in2026);
        foreach (var step in in2026)
        {
            Assert.Contains($"/steg/{step.GetProperty("id").GetGuid()}", hrefs);
        }

        Assert.DoesNotContain(arcs, a => (string?)a.Attribute("data-step") is { } key && key.StartsWith("manadsrapport", StringComparison.Ordinal));
        var text = string.Join("\n", doc.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Contains("Regionfullmäktige", text);
        Assert.Contains("Hälso- och sjukvårdsnämnden", text);
        Assert.Contains("Region Västerbotten", text);
        Assert.DoesNotContain("region-vasterbotten", doc.ToString());

        var needle = Assert.Single(WithClass(doc, "needle"));
        var today = new DateOnly(2026, 6, 15);
        Assert.Equal(WheelGeometry.NoonAngle(today, 2026), double.Parse((string)needle.Attribute("data-angle")!, CultureInfo.InvariantCulture), 2);

        // planeringsförutsättningar was due in May and is still open: overdue, on regionstyrelsen's ring (ekonomistaben's work).
        var overdue = arcs.Single(a => (string?)a.Attribute("data-step") == "planeringsforutsattningar");
        Assert.Equal("true", (string?)overdue.Attribute("data-overdue"));
        Assert.Equal("Opened", (string?)overdue.Attribute("data-state"));
        var planned = arcs.Single(a => (string?)a.Attribute("data-step") == "regionplan");
        Assert.Equal("false", (string?)planned.Attribute("data-overdue"));
    }

    [Fact]
    public async Task CycleWheel_ShowsAnotherYear_WhenAsked_AndRefusesABadYear()
    {
        var response = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.svg?year=2027&lang=en");
        var bad = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.svg?year=1800");

        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var keys = WithClass(doc, "arc").Select(a => (string?)a.Attribute("data-step")).ToList();
        Assert.Contains("manadsrapport#1/HSN", keys);
        Assert.DoesNotContain("regionplan", keys);
        Assert.Empty(WithClass(doc, "needle"));
        Assert.Equal("en", (string?)doc.Root!.Attribute(XNamespace.Xml + "lang"));
        Assert.Contains("2000", await ApiClient.FieldErrorAsync(bad, "year"));
    }

    [Fact]
    public async Task YearWheel_ShowsTheFollowUpOfCycle2026_AndThePlanningOfCycle2027_Together()
    {
        var response = await fixture.ProcessOwner.GetAsync("/arshjul/region-vasterbotten/2026.svg");
        var steps2026 = await ClockedHost.StepsAsync(fixture.ProcessOwner, fixture.Cycle2026);
        var steps2027 = await ClockedHost.StepsAsync(fixture.ProcessOwner, fixture.Cycle2027);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var hrefs = WithClass(doc, "arc").Select(a => (string?)a.Attribute("href")).ToHashSet();
        var followUp = steps2026.Single(s => s.GetProperty("key").GetString() == "delarsrapport");
        var planning = steps2027.Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Contains($"/steg/{followUp.GetProperty("id").GetGuid()}", hrefs);
        Assert.Contains($"/steg/{planning.GetProperty("id").GetGuid()}", hrefs);
        // Cycle 2026's own planning happened in 2025: not on the 2026 wheel.
        var oldPlanning = steps2026.Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.DoesNotContain($"/steg/{oldPlanning.GetProperty("id").GetGuid()}", hrefs);
    }

    [Fact]
    public async Task PngAndPdf_AnswerWithTheirContentType_AndMagicBytes_InBothLayouts()
    {
        var png = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.png?width=600&layout=portrait");
        var pdf = await fixture.ProcessOwner.GetAsync("/arshjul/region-vasterbotten/2026.pdf?lang=en");
        var badWidth = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.png?width=5");

        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var pngBytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, pngBytes[..4]);
        Assert.Equal(600, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(pngBytes.AsSpan(16, 4)));
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(pngBytes.AsSpan(20, 4)) > 600, "portrait is taller than wide");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync())[..4]);
        await ApiClient.FieldErrorAsync(badWidth, "width");
    }

    [Fact]
    public async Task UnchangedWheel_AnswersNotModified_ForItsETag()
    {
        var first = await fixture.ProcessOwner.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.svg");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/cycles/{fixture.Cycle2027}/arshjul.svg");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var second = await fixture.ProcessOwner.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Anonymous_IsRefused_AndAnUnknownOrganisationOrCycleIsNotFound()
    {
        using var anonymous = fixture.Host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        var cycle = await anonymous.GetAsync($"/cycles/{fixture.Cycle2027}/arshjul.svg");
        var year = await anonymous.GetAsync("/arshjul/region-vasterbotten/2026.png");
        var otherOrganisation = await fixture.ProcessOwner.GetAsync("/arshjul/region-norrbotten/2026.svg");
        var noCycle = await fixture.ProcessOwner.GetAsync($"/cycles/{Guid.NewGuid()}/arshjul.svg");

        foreach (var refused in new[] { cycle, year })
        {
            // A browser is sent to the sign-in page; nothing of the wheel is served.
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, refused.StatusCode.ToString());
            Assert.NotEqual("image/svg+xml", refused.Content.Headers.ContentType?.MediaType);
            if (refused.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/konto/logga-in", refused.Headers.Location!.ToString());
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, otherOrganisation.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCycle.StatusCode);
    }

    private static IEnumerable<XElement> WithClass(XDocument doc, string cssClass) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);
}
