using System.Text.RegularExpressions;
using AnnualCycle.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// Every page, as the people who use it, in Swedish (issue 15): axe-core finds no serious or critical WCAG 2.1 AA
/// violation, and the visible text holds no English word from a known list and no internal id (a step key such as
/// <c>namndplan/HSN</c>, a role id, a GUID).
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class UiEveryPageTests
{
    /// <summary>Words that only show up when an English or internal text leaked into the Swedish UI.</summary>
    private static readonly string[] EnglishWords =
    [
        "Planned", "Opened", "Submitted", "Returned", "Completed", "Skipped", "Cancelled", "Pending", "Approved",
        "Sent", "Retrying", "DeadLetter", "Dropped", "Digested", "contributor", "forvaltningsdirektor", "process-owner",
        "administrator", "committee", "bytes", "sha256", "must", "required", "unknown", "Loading", "Save", "Cancel",
        "Password", "Passwords", "Email", "Overdue", "Due", "Step", "Cycle", "None", "Nothing", "not found",
    ];

    [Fact]
    public async Task EveryPage_IsSwedish_AndPassesAxeAtWcag21AA()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "every-page";
        var stepId = await host.StartCycle2027Async();
        var problems = new List<string>();

        var anonymous = await host.NewPageAsync();
        await anonymous.GotoAsync("/konto/logga-in");
        await CheckAsync(anonymous, "/konto/logga-in", problems);

        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync("/cykler");
        await UiHost.WaitInteractiveAsync(owner);
        var cycleHref = await owner.Locator("[data-testid=cycles] a[href^='/cykler/']").First.GetAttributeAsync("href");
        foreach (var path in new[] { "/", "/cykler", "/cykler/ny", cycleHref!, $"/steg/{stepId}", "/arshjulet", "/admin/sammantraden", "/admin/ersattare", "/konto/installningar", "/konto/byt-losenord" })
        {
            await owner.GotoAsync(path);
            await CheckAsync(owner, path, problems);
        }

        // Keyboard: Tab reaches the controls of the busiest pages, and each shows where the focus is.
        foreach (var path in new[] { cycleHref!, $"/steg/{stepId}" })
        {
            await owner.GotoAsync(path);
            await UiHost.WaitInteractiveAsync(owner);
            await FocusIsVisibleAsync(owner, path, problems);
        }

        var admin = await host.SignInAsync("admin@demo.local");
        foreach (var path in new[] { "/admin/anvandare", "/admin/definitioner", "/admin/epost" })
        {
            await admin.GotoAsync(path);
            await CheckAsync(admin, path, problems);
        }

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local", width: 390);
        foreach (var path in new[] { "/", $"/steg/{stepId}", "/arshjulet", "/konto/installningar" })
        {
            await contributor.GotoAsync(path);
            await CheckAsync(contributor, path + " (handläggare, 390 px)", problems);
        }

        foreach (var email in new[] { "hsn.direktor@demo.local", "hsn.sekreterare@demo.local" })
        {
            var person = await host.SignInAsync(email);
            foreach (var path in new[] { "/", $"/steg/{stepId}", "/arshjulet" })
            {
                await person.GotoAsync(path);
                await CheckAsync(person, $"{path} ({email})", problems);
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static async Task CheckAsync(IPage page, string path, List<string> problems)
    {
        try
        {
            await CheckPageAsync(page, path, problems);
        }
        catch (TimeoutException e)
        {
            // One page that never settles is one problem; the walk goes on so a run lists them all.
            problems.Add($"{path}: {e.Message.Split('\n')[0]}");
        }
    }

    private static async Task CheckPageAsync(IPage page, string path, List<string> problems)
    {
        if (page.Url.Contains("/konto/logga-in", StringComparison.Ordinal) && path != "/konto/logga-in")
        {
            problems.Add($"{path}: redirected to sign-in");
            return;
        }

        // The sign-in and change-password forms are static server-rendered; every other page turns interactive.
        if (!path.StartsWith("/konto/logga-in", StringComparison.Ordinal) && !path.StartsWith("/konto/byt-losenord", StringComparison.Ordinal))
        {
            await UiHost.WaitInteractiveAsync(page);
        }

        // Let the page load its data (the progress bar goes away).
        await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate, [aria-label='Laddar …']")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var word in EnglishWords)
        {
            if (Regex.IsMatch(text, $@"(?<![\p{{L}}\-/]){Regex.Escape(word)}(?![\p{{L}}\-])"))
            {
                problems.Add($"{path}: English word \"{word}\" in \"{Around(text, word)}\"");
            }
        }

        foreach (Match id in InternalId().Matches(text))
        {
            problems.Add($"{path}: internal id \"{id.Value}\"");
        }

        var axe = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{path}: axe {violation.Impact} {violation.Id} ({violation.Help}): {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }
    }

    /// <summary>Tabs through the first controls of a page; each focused element must draw an outline or a ring.</summary>
    private static async Task FocusIsVisibleAsync(IPage page, string path, List<string> problems)
    {
        var reached = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<string[]>(@"() => {
                const e = document.activeElement;
                if (!e || e === document.body) return ['', ''];
                const s = getComputedStyle(e);
                const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
                return [e.outerHTML.slice(0, 120), visible ? 'yes' : 'no'];
            }");
            if (focus[0].Length == 0)
            {
                continue;
            }

            reached.Add(focus[0]);
            if (focus[1] != "yes")
            {
                problems.Add($"{path}: keyboard focus not visible on {focus[0]}");
            }
        }

        if (reached.Count < 5)
        {
            problems.Add($"{path}: Tab reached only {reached.Count} controls");
        }
    }

    private static string Around(string text, string word)
    {
        var at = text.IndexOf(word, StringComparison.Ordinal);
        var from = Math.Max(0, at - 40);
        return text.Substring(from, Math.Min(text.Length - from, word.Length + 80)).ReplaceLineEndings(" ");
    }

    /// <summary>A step key (<c>namndplan/HSN</c>, <c>manadsrapport#3/HSN</c>) or a GUID shown as text.</summary>
    [GeneratedRegex(@"\b[a-z][a-z0-9\-]+(#\d+)?/[A-Z]{2,5}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")]
    private static partial Regex InternalId();
}
