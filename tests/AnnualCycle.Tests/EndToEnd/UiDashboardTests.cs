using System.Text.RegularExpressions;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The dashboard answers "where does every nämnd stand, what is late" at a glance (issue 15): whole step titles with the
/// month in the matrix header, the year on every date of a cycle that spans years, the body column fixed while the steps
/// scroll, a mark per kind of lateness, filters by phase and body, the overdue list usable on a phone, and the process
/// owner's start page listing their running cycles and what is late.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class UiDashboardTests
{
    [Fact]
    public async Task Dashboard_ReadsAtAGlance_AtDesktopAndPhoneWidth()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "dashboard";
        await host.StartCycle2027Async();

        // The process owner's start page: the running cycle and what is late in it.
        var owner = await host.SignInAsync("processagare@demo.local");
        var ownerCycle = owner.Locator("[data-testid=owner-cycles] [data-testid=owner-cycle]").Filter(new LocatorFilterOptions { HasText = "2027" });
        await Assertions.Expect(ownerCycle).ToHaveCountAsync(1);
        await Assertions.Expect(ownerCycle.Locator("[data-testid=owner-cycle-late]")).ToContainTextAsync(LateCount());
        Assert.True(await ownerCycle.Locator("[data-testid=owner-late-list] [data-testid=step-row]").CountAsync() > 0, "the late steps are listed on the start page");
        await UiHost.ScreenshotAsync(owner, "dashboard-owner-start-1280");

        await ownerCycle.Locator("a[href^='/cykler/']").First.ClickAsync();
        await owner.WaitForURLAsync(new Regex(@"/cykler/[0-9a-f-]{36}$"));
        await UiHost.WaitInteractiveAsync(owner);
        var dashboardUrl = owner.Url;
        await Assertions.Expect(owner.Locator("[data-testid=cell]").First).ToBeVisibleAsync();

        // Headers: whole titles (nothing cut with "…", no bare "Månadsrapport 3"), each with its month and year.
        var headers = await owner.Locator("[data-testid=matrix-column]").AllInnerTextsAsync();
        Assert.True(headers.Count > 10, $"the matrix has its steps as columns ({headers.Count})");
        Assert.DoesNotContain(headers, h => h.Contains('…', StringComparison.Ordinal));
        Assert.DoesNotContain(headers, h => NumberedColumn().IsMatch(h));
        Assert.All(headers, h => Assert.Matches(MonthAndYear(), h));
        var reports = headers.Where(h => h.Contains("Månadsrapport", StringComparison.Ordinal)).ToList();
        Assert.True(reports.Count >= 7, "every månadsrapport has its column");
        Assert.Equal(reports.Count, reports.Distinct().Count()); // told apart by their month
        // The 2027 cycle runs from 2026 into 2028: every date carries its year.
        var dates = await owner.Locator("[data-testid=cell-date]").AllInnerTextsAsync();
        Assert.All(dates, d => Assert.Matches(@"^\d{1,2} [a-zå]{3} 20\d\d$", d.Trim()));

        // Marks: a legend in words, every cell with one of its marks, and the late steps the body can act on marked apart.
        await Assertions.Expect(owner.Locator("[data-testid=matrix-legend] li")).ToHaveCountAsync(6);
        await Assertions.Expect(owner.Locator("[data-testid=matrix-legend]")).ToContainTextAsync("Försenad, nämnden kan agera");
        await Assertions.Expect(owner.Locator("[data-testid=matrix-legend]")).ToContainTextAsync("Försenad men blockerad");
        var marks = await owner.Locator("[data-testid=cell]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.mark)");
        Assert.All(marks, m => Assert.Contains(m, new[] { "late-actionable", "late-blocked", "waiting", "open", "returned", "done" }));
        Assert.Contains("late-actionable", marks);
        Assert.Contains("waiting", marks);
        await Assertions.Expect(owner.Locator("[data-testid=cell][data-mark=late-actionable] .visually-hidden").First).ToContainTextAsync("Försenad, nämnden kan agera");

        // The body column stays where it is while the steps scroll sideways.
        var scroller = owner.Locator("[data-testid=matrix-scroll]");
        var rowHeader = owner.Locator("[data-testid=matrix] tbody th").First;
        var before = (await rowHeader.BoundingBoxAsync())!.X;
        await scroller.EvaluateAsync("e => e.scrollLeft = 900");
        Assert.True(await scroller.EvaluateAsync<int>("e => e.scrollLeft") > 100, "the matrix is wider than the window");
        Assert.InRange((await rowHeader.BoundingBoxAsync())!.X, before - 1, before + 1);
        await UiHost.ScreenshotAsync(owner, "dashboard-matrix-scrolled-1280");
        await scroller.EvaluateAsync("e => e.scrollLeft = 0");

        // Filters: by phase (columns and lists follow), by body (one row).
        var allCells = await owner.Locator("[data-testid=cell]").CountAsync();
        await owner.SelectOptionAsync("[data-testid=filter-phase]", "uppfoljning");
        await Assertions.Expect(owner.Locator("[data-testid=cell]:not([data-phase=uppfoljning])")).ToHaveCountAsync(0);
        var followUpCells = await owner.Locator("[data-testid=cell]").CountAsync();
        Assert.True(followUpCells > 0 && followUpCells < allCells, $"the phase filter keeps the follow-up steps only ({followUpCells} of {allCells})");
        await owner.SelectOptionAsync("[data-testid=filter-phase]", "");
        await owner.SelectOptionAsync("[data-testid=filter-body]", new SelectOptionValue { Label = "Hälso- och sjukvårdsnämnden" });
        await Assertions.Expect(owner.Locator("[data-testid=matrix] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(owner.Locator("[data-testid=matrix] tbody th")).ToHaveTextAsync("Hälso- och sjukvårdsnämnden");
        await Assertions.Expect(owner.Locator("[data-testid=overdue-list] [data-testid=step-row]").Filter(new LocatorFilterOptions { HasNotText = "Hälso- och sjukvårdsnämnden" })).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(owner, "dashboard-filtered-1280");
        Assert.Equal(dashboardUrl, owner.Url);

        // On a phone: the overdue list shows the date, the state and Påminn nu inside the screen.
        var phone = await host.NewSignedInPageAsync("processagare@demo.local", width: 390);
        await phone.GotoAsync(dashboardUrl);
        await UiHost.WaitInteractiveAsync(phone);
        var row = phone.Locator("[data-testid=overdue-list] [data-testid=step-row]").First;
        await row.ScrollIntoViewIfNeededAsync();
        foreach (var part in new[] { row.Locator("[data-testid=step-row-due]"), row.Locator("[data-state]"), row.GetByRole(AriaRole.Button) })
        {
            await Assertions.Expect(part).ToBeVisibleAsync();
            var box = (await part.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{await part.InnerTextAsync()} is inside the 390 px screen ({box.X}+{box.Width})");
        }

        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "dashboard-overdue-390");
    }

    [GeneratedRegex(@"^\s*Månadsrapport\s*\d\s*$")]
    private static partial Regex NumberedColumn();

    [GeneratedRegex(@"(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) 20\d\d")]
    private static partial Regex MonthAndYear();

    [GeneratedRegex(@"\d+ försenade? steg")]
    private static partial Regex LateCount();
}
