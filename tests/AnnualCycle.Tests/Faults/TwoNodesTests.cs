using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static AnnualCycle.Tests.Faults.EmailFaultTests;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// Issue 12, "two nodes": two real web processes (<c>node-a</c>, <c>node-b</c>, each with its own <c>Instance:Id</c> and
/// its own home folder, so nothing is shared but the configuration, the data folder and the database) on one
/// PostgreSQL database with Hangfire's jobs in it, a real SMTP server and Debian's Chromium. Driven together they
/// must: fire every timer exactly once, send every outbox row exactly once, give one winner to approvals racing
/// across both nodes (409 for the rest), accept a sign-in made on the other node, and show a change made on node A
/// on a dashboard connected to node B without a reload (PostgreSQL LISTEN/NOTIFY).
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class TwoNodesTests
{
    private const string Org = DemoUsers.OrganisationId;
    private const int ShiftedTimers = 300;

    [Fact]
    public async Task TwoNodesOnOnePostgreSql_TimersAndEmailsOnce_OneApprovalWinner_LiveUpdatesAcrossNodes()
    {
        using var smtp = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var data = await FaultData.PostgreSqlAsync(null);
        using var a = new WebProcess(Node(data, smtp, "node-a"));
        using var b = new WebProcess(Node(data, smtp, "node-b"));

        // Node A alone seeds the demo; node B joins.
        await a.StartAsync();
        await b.StartAsync();
        using var ownerOnA = await SignInAsync(a, "processagare@demo.local");
        var start = await ownerOnA.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 });
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var cycle = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // A sign-in made on node A is good on node B (the nodes share the data-protection keys in the data folder).
        using (var sameTokenOnB = new HttpClient { BaseAddress = b.BaseAddress })
        {
            sameTokenOnB.DefaultRequestHeaders.Authorization = ownerOnA.DefaultRequestHeaders.Authorization;
            Assert.Equal(HttpStatusCode.OK, (await sameTokenOnB.GetAsync($"/api/v1/cycles/{cycle}")).StatusCode);
        }

        // --- Live updates: the process owner watches the dashboard on node B; HSN's contributor submits on node A. ---
        // At the real date (December) each nämnd's verksamhetsplan is open, signed off by its förvaltningsdirektör.
        using var contributorOnA = await SignInAsync(a, "hsn.handlaggare@demo.local");
        var watched = await VerksamhetsplanAsync(contributorOnA);
        using (var playwright = await Playwright.CreateAsync())
        {
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = b.BaseAddress.ToString().TrimEnd('/'), Locale = "sv-SE" });
            context.SetDefaultTimeout(30_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/konto/logga-in");
            await page.FillAsync("#email", "processagare@demo.local");
            await page.FillAsync("#password", DemoUsers.Password);
            await page.ClickAsync("[data-testid=login-submit]");
            await page.WaitForURLAsync(b.BaseAddress.ToString().TrimEnd('/') + "/");
            await page.GotoAsync($"/cykler/{cycle}");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            var cell = page.Locator($"[data-testid=cell][data-step-key=\"{watched.Key}\"]");
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Opened");
            await page.EvaluateAsync("() => window.__notReloaded = true");

            await SubmitAsync(contributorOnA, watched.Id);

            await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Submitted", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the dashboard on node B was reloaded");
        }

        // --- Approvals racing across the nodes: per step 20 at once, half to each node, one winner. ---
        foreach (var body in new[] { "hsn", "run", "fhs" })
        {
            using var contributor = body == "hsn" ? null : await SignInAsync(a, $"{body}.handlaggare@demo.local");
            var step = body == "hsn" ? watched : await VerksamhetsplanAsync(contributor!);
            if (contributor is not null)
            {
                await SubmitAsync(contributor, step.Id);
            }

            using var directorOnA = await SignInAsync(a, $"{body}.direktor@demo.local");
            using var directorOnB = await SignInAsync(b, $"{body}.direktor@demo.local");
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                using var response = await (i % 2 == 0 ? directorOnA : directorOnB).PostAsJsonAsync($"/api/v1/steps/{step.Id}/approve", new { comment = $"godkänt {i}" });
                return (Node: i % 2 == 0 ? "A" : "B", response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }));
            var told = string.Join("\n", answers.Select(x => $"{x.Node}: {(int)x.StatusCode} {x.Body[..Math.Min(160, x.Body.Length)]}"));
            Assert.True(answers.Count(x => x.StatusCode == HttpStatusCode.OK) == 1, $"{step.Key}: one winner expected\n{told}");
            Assert.True(answers.Count(x => x.StatusCode == HttpStatusCode.Conflict) == 19, $"{step.Key}: 19 × 409 expected\n{told}");
            Assert.Equal(1, await data.DbAsync(db => db.Approvals.CountAsync(x => x.StepInstanceId == step.Id && x.State == ApprovalState.Approved)));
        }

        // --- Timers: both nodes go down, the next 300 timers are made due within seconds, both come up together. ---
        a.Kill();
        b.Kill();
        var shifted = await data.DbAsync(async db =>
        {
            var next = await db.Timers.Where(t => t.State == TimerState.Pending).OrderBy(t => t.DueAtUtc).ThenBy(t => t.Id).Take(ShiftedTimers).ToListAsync();
            var first = DateTime.UtcNow.AddSeconds(20);
            for (var i = 0; i < next.Count; i++)
            {
                next[i].DueAtUtc = first.AddMilliseconds(i * 50); // in their order: opens before reminders of the same step
            }

            await db.SaveChangesAsync();
            return next.Select(t => t.Id).ToList();
        });
        Assert.Equal(ShiftedTimers, shifted.Count);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        await WaitUntilAsync(async () => await data.DbAsync(db => db.Timers.CountAsync(t => shifted.Contains(t.Id) && t.State == TimerState.Pending)) == 0,
            TimeSpan.FromSeconds(150), "every shifted timer fired", a);
        var timers = await data.DbAsync(db => db.Timers.AsNoTracking().Where(t => shifted.Contains(t.Id)).ToListAsync());
        Assert.All(timers, t => Assert.Equal(TimerState.Fired, t.State));

        // Each step opened at most once (a timer firing twice would open twice or fail its transition).
        var journal = await data.DbAsync(db => db.Journal.AsNoTracking().Where(j => j.CycleId == cycle).ToListAsync());
        var openedTwice = journal.Where(j => j.ToState == "Opened" && j.FromState == "Planned").GroupBy(j => j.StepInstanceId).Where(g => g.Count() > 1).ToList();
        Assert.True(openedTwice.Count == 0, $"{openedTwice.Count} step(s) opened twice");

        // --- Email: every row that is to go out is Sent, and arrived exactly once. ---
        var waiting = new[] { OutboxState.Pending, OutboxState.Sending, OutboxState.Retrying };
        await WaitUntilAsync(async () => !(await data.OutboxAsync()).Any(r => waiting.Contains(r.State)), TimeSpan.FromSeconds(150), "every outbox row sent", b);
        var outbox = await data.OutboxAsync();
        Assert.DoesNotContain(outbox, r => r.State == OutboxState.DeadLetter);
        var sent = outbox.Where(r => r.State == OutboxState.Sent).Select(r => FaultData.MessageIdOf(r.Id)).ToList();
        Assert.True(sent.Count > ShiftedTimers / 10, $"only {sent.Count} emails were sent: the test proves little");
        var received = FaultData.CountByMessageId(smtp.WaitForMessages(sent.Count, TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(sent, id => !received.ContainsKey(id));
        var twice = received.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key}×{kv.Value}").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} email(s) arrived more than once: {string.Join(", ", twice.Take(10))}");
        Assert.Equal(sent.Count, received.Count);

        a.Kill();
        b.Kill();
        await AssertJournalCleanAsync(data);
    }

    private static Dictionary<string, string> Node(FaultData data, SmtpServerFixture smtp, string id)
    {
        var settings = data.With(smtp);
        settings["Instance:Id"] = id;
        // A home of its own: data-protection keys must come from the shared data folder, not from ~/.aspnet.
        settings["HOME"] = Directory.CreateTempSubdirectory($"annualcycle-{id}-home-").FullName;
        return settings;
    }

    private static async Task<HttpClient> SignInAsync(WebProcess node, string email)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var token = await ApiClient.LoginAsync(client, email);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>The contributor's verksamhetsplan, waiting for them to submit it.</summary>
    private static async Task<(Guid Id, string Key)> VerksamhetsplanAsync(HttpClient contributor)
    {
        var tasks = await contributor.GetFromJsonAsync<JsonElement>("/api/v1/me/tasks");
        var found = tasks.EnumerateArray()
            .Where(t => t.GetProperty("action").GetString() == "submit" && t.GetProperty("step").GetProperty("key").GetString()!.StartsWith("verksamhetsplan/", StringComparison.Ordinal))
            .Select(t => (t.GetProperty("step").GetProperty("id").GetGuid(), t.GetProperty("step").GetProperty("key").GetString()!))
            .ToList();
        Assert.True(found.Count == 1, $"expected one verksamhetsplan to submit: {tasks}");
        return found[0];
    }

    private static async Task SubmitAsync(HttpClient contributor, Guid step)
    {
        using var response = await contributor.PostAsJsonAsync($"/api/v1/steps/{step}/submit", new { deliverableLink = "https://docs.example/hsn/underlag.docx", comment = "Inlämnat från nod A" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"submit {step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
