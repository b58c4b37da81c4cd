using System.Net;
using AnnualCycle.Data;
using AnnualCycle.Data.Calendar;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// A hostile page on another port of 127.0.0.1 (the same site as the service, so SameSite=Lax sends the sign-in
/// cookie along) fires every forgery a browser allows without asking the service first: fetch in no-cors mode with a
/// text/plain or multipart body, and plain form posts. Nothing it sends may change anything.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiForgeryTests
{
    [Fact]
    public async Task HostilePageOnAnotherPort_ChangesNoMeetingsRemindersCalendarTokensUploadsOrSessions()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "forgery";
        var stepId = await host.StartCycle2027Async();
        var owner = await host.ActorAsync("processagare@demo.local");
        var contributor = await host.ActorAsync("hsn.handlaggare@demo.local");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<CalendarTokens>();
            await tokens.GetOrCreateAsync(CalendarOwner.User(owner.UserId));
            await tokens.GetOrCreateAsync(CalendarOwner.User(contributor.UserId));
        }

        var before = await SnapshotAsync(host, stepId);
        await using var hostile = await HostilePage.StartAsync(host.BaseUrl, stepId);
        Assert.NotEqual(new Uri(host.BaseUrl).Port, new Uri(hostile.Url).Port);
        Assert.Equal("127.0.0.1", new Uri(hostile.Url).Host);

        // The process owner may import meetings, remind and renew; the contributor may upload: each visits the page.
        var pages = new List<IPage>();
        foreach (var email in new[] { "processagare@demo.local", "hsn.handlaggare@demo.local" })
        {
            var page = await host.SignInAsync(email);
            pages.Add(page);
            await page.GotoAsync(hostile.Url);
            await Assertions.Expect(page).ToHaveTitleAsync("done", new PageAssertionsToHaveTitleOptions { Timeout = 30_000 });
            Assert.Equal(pages.Count, hostile.Runs); // the page's script ran to its end
        }

        var after = await SnapshotAsync(host, stepId);
        Assert.Equal(2, before.LiveCalendarTokens.Split(' ').Length);
        Assert.Equal(before with { ImportedMeetings = 0, Uploads = 0 }, after); // and nothing was there to start with

        foreach (var page in pages)
        {
            // Still signed in: the forged logouts did nothing.
            Assert.Equal(200, (await page.APIRequest.GetAsync("/api/v1/me")).Status);
            await page.GotoAsync("/");
            await UiHost.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();

            // The UI's own sign-out form (it carries the antiforgery token) still works.
            await page.ClickAsync("[data-testid=sign-out]");
            await page.WaitForURLAsync(url => url.Contains("/konto/logga-in", StringComparison.Ordinal));
            Assert.Equal(401, (await page.APIRequest.GetAsync("/api/v1/me")).Status);
        }
    }

    private sealed record Snapshot(int ImportedMeetings, int ReminderRows, string LiveCalendarTokens, int Uploads);

    private static async Task<Snapshot> SnapshotAsync(UiHost host, Guid stepId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        return new Snapshot(
            await db.ImportedMeetings.CountAsync(),
            await db.OutboxMessages.CountAsync(o => o.DedupKey.StartsWith("remind-now:")),
            string.Join(' ', await db.CalendarTokens.Where(t => t.RevokedAtUtc == null && t.OwnerKind == CalendarOwnerKind.User).OrderBy(t => t.TokenHash).Select(t => t.TokenHash).ToListAsync()),
            await db.DeliverableFiles.CountAsync(f => f.StepInstanceId == stepId));
    }

    /// <summary>The attacker's site: one page on its own Kestrel at 127.0.0.1 on another port.</summary>
    private sealed class HostilePage : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _runs;

        private HostilePage(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        /// <summary>How often the page's script ran to its end (it reports back to its own server).</summary>
        public int Runs => Volatile.Read(ref _runs);

        public static async Task<HostilePage> StartAsync(string target, Guid stepId)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var page = new HostilePage(app);
            app.MapGet("/", () => Results.Content(Html(target, stepId), "text/html; charset=utf-8"));
            app.MapPost("/finished", () =>
            {
                Interlocked.Increment(ref page._runs);
                return Results.NoContent();
            });
            await app.StartAsync();
            page.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
            return page;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        /// <summary>
        /// Everything a cross-origin page may send without a CORS preflight: no-cors fetches (text/plain, multipart,
        /// empty) and form posts into a hidden frame (text/plain and urlencoded). The logouts go last.
        /// </summary>
        private static string Html(string target, Guid stepId) => $$"""
            <!DOCTYPE html>
            <html><head><title>Vinn en resa</title></head><body>
            <iframe name="sink" style="display:none"></iframe>
            <form id="meetingsForm" method="post" enctype="text/plain" target="sink" action="{{target}}/api/v1/organisations/region-vasterbotten/meetings/2028">
              <input type="hidden" name="body,date,title&#10;RS,2028-03-01,Formular" value="x">
            </form>
            <form id="remindForm" method="post" target="sink" action="{{target}}/api/v1/steps/{{stepId}}/remind"></form>
            <form id="logoutForm" method="post" target="sink" action="{{target}}/konto/logga-ut"><input type="hidden" name="returnUrl" value="/"></form>
            <script>
            const app = '{{target}}';
            const post = (path, init) => fetch(app + path, Object.assign({ method: 'POST', mode: 'no-cors', credentials: 'include' }, init)).catch(() => null);
            const submit = id => new Promise(done => {
              const frame = document.querySelector('iframe[name=sink]');
              const finish = () => { frame.removeEventListener('load', finish); done(); };
              frame.addEventListener('load', finish);
              setTimeout(finish, 3000);
              document.getElementById(id).submit();
            });
            (async () => {
              await post('/api/v1/organisations/region-vasterbotten/meetings/2027', { headers: { 'Content-Type': 'text/plain' }, body: 'body,date,title\nRS,2027-03-03,Forfalskat sammantrade\nHSN,2027-03-04,Forfalskat\n' });
              await submit('meetingsForm');
              await post('/api/v1/steps/{{stepId}}/remind', {});
              await submit('remindForm');
              await post('/api/v1/me/calendar/renew', {});
              const form = new FormData();
              form.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), 'forfalskad.pdf');
              await post('/api/v1/steps/{{stepId}}/deliverable', { body: form });
              await post('/api/v1/auth/logout', {});
              await submit('logoutForm');
              await fetch('/finished', { method: 'POST' });
              document.title = 'done';
            })();
            </script>
            </body></html>
            """;
    }
}
