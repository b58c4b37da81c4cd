using System.Text.RegularExpressions;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>The årshjul page draws the server's SVG inline: arcs link to their steps, exports download, phones get portrait.</summary>
[Collection(HostCollection.Name)]
public sealed class UiArshjulTests
{
    private const string Organisation = "region-vasterbotten";

    [Fact]
    public async Task Arshjulet_ShowsTheYearInline_ArcsLinkToSteps_ExportsDownload()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "arshjul";
        await host.StartCycle2027Async();

        var page = await host.SignInAsync("hsn.handlaggare@demo.local");
        await page.GotoAsync("/arshjulet");
        await UiHost.WaitInteractiveAsync(page);
        // Default: this calendar year in Stockholm by the injected clock (2026), with the 2027 cycle's planning steps.
        await Assertions.Expect(page.Locator("[data-testid=wheel-year]")).ToContainTextAsync("2026");
        var arcs = page.Locator("[data-testid=wheel] svg a[href^='/steg/']");
        await Assertions.Expect(arcs.First).ToBeAttachedAsync();
        Assert.True(await arcs.CountAsync() > 5, "the wheel has an arc per step");
        Assert.True(await page.Locator("[data-testid=wheel] svg a title").CountAsync() > 5, "each arc has a hover title");
        Assert.Equal("landscape", await page.Locator("[data-testid=wheel]").GetAttributeAsync("data-layout"));
        await UiHost.ScreenshotAsync(page, "arshjulet-year-1280");

        foreach (var (format, type) in new[] { ("png", "image/png"), ("pdf", "application/pdf") })
        {
            var href = await page.Locator($"[data-testid=download-{format}]").GetAttributeAsync("href");
            Assert.Equal($"/arshjul/{Organisation}/2026.{format}?lang=sv&layout=landscape", href);
            var response = await page.APIRequest.GetAsync(href!);
            Assert.Equal(200, response.Status);
            Assert.Equal(type, response.Headers["content-type"]);
            Assert.True((await response.BodyAsync()).Length > 1000);
        }

        // Clicking an arc opens its step.
        var first = await arcs.First.GetAttributeAsync("href");
        await page.Locator($"[data-testid=wheel] svg a[href='{first}']").First.DispatchEventAsync("click");
        await page.WaitForURLAsync(new Regex("/steg/[0-9a-f-]{36}$"));
        Assert.EndsWith(first!, page.Url, StringComparison.Ordinal);

        // A phone gets the portrait layout and the page does not scroll sideways.
        var phone = await host.SignInAsync("hsn.handlaggare@demo.local", width: 390);
        await phone.GotoAsync("/arshjulet");
        await UiHost.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("[data-testid=wheel]")).ToHaveAttributeAsync("data-layout", "portrait");
        await Assertions.Expect(phone.Locator("[data-testid=download-png]")).ToHaveAttributeAsync("href", new Regex("layout=portrait"));
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "arshjulet-year-390");

        // Live: a submission elsewhere recolours the arc without a reload.
        var arc = phone.Locator("[data-testid=wheel] [data-step='verksamhetsplan/HSN']").First;
        await Assertions.Expect(arc).ToHaveAttributeAsync("data-state", "Opened");
        var url = phone.Url;
        var contributor = await host.ActorAsync("hsn.handlaggare@demo.local");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var task = (await scope.ServiceProvider.GetRequiredService<MyTasksQuery>().HandleAsync(contributor)).First(t => t.Step.Key == "verksamhetsplan/HSN");
            await scope.ServiceProvider.GetRequiredService<SubmitStepHandler>().HandleAsync(contributor, new SubmitStepCommand(task.Step.Id, "https://docs.example/vp.docx", null));
        }

        await Assertions.Expect(arc).ToHaveAttributeAsync("data-state", "Submitted");
        Assert.Equal(url, phone.Url);
    }

    /// <summary>
    /// Issue 15: the årshjul works on a phone and for everyone. At 390 px a tap on an arc shows the step's details on
    /// the page (there is no hover) and the intro says to tap; at both widths a real table with a caption and column
    /// headers holds every arc of the wheel under the arc's number, and every arc carries a label; ekonomistaben's steps
    /// are in ekonomistaben's ring.
    /// </summary>
    [Fact]
    public async Task Arshjulet_HasATableOfTheSameSteps_AndOnAPhone_ATapShowsTheStep()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "arshjul-table";
        await host.StartCycle2027Async();

        foreach (var width in new[] { 1280, 390 })
        {
            var page = await host.SignInAsync("hsn.handlaggare@demo.local", width: width);
            await page.GotoAsync("/arshjulet");
            await UiHost.WaitInteractiveAsync(page);
            var wheel = page.Locator("[data-testid=wheel]");
            await Assertions.Expect(wheel).ToHaveAttributeAsync("data-layout", width < 600 ? "portrait" : "landscape");

            var arcs = wheel.Locator("svg a.arc");
            var count = await arcs.CountAsync();
            Assert.True(count > 5, $"{count} arcs");
            var table = page.Locator("table[data-testid=wheel-table]");
            await Assertions.Expect(table.Locator("caption")).ToContainTextAsync("Årshjul 2026 – Region Västerbotten");
            Assert.Equal(["Nr", "Steg", "Organ", "Tid", "Status"], await table.Locator("thead th[scope=col]").AllInnerTextsAsync());
            var rows = table.Locator("tbody tr");
            Assert.Equal(count, await rows.CountAsync());
            Assert.Equal(count, await table.Locator("tbody th[scope=row]").CountAsync());

            // Every arc has a label with its number, and the table's row of that number is the same step.
            var arcNumbers = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=wheel] svg a.arc')].map(a => a.dataset.number + '|' + a.dataset.step + '|' + [...a.querySelectorAll('text, textPath')].map(t => t.textContent).join(' '))");
            foreach (var entry in arcNumbers)
            {
                var parts = entry.Split('|');
                Assert.Matches($@"(^|\s){parts[0]}(\s|$)", parts[2]);
                Assert.Equal(parts[1], await table.Locator($"tbody tr[data-number='{parts[0]}']").GetAttributeAsync("data-step"));
            }

            // Ekonomistaben prepares the planeringsförutsättningar: drawn in its own ring, not regionstyrelsen's.
            var ekoArcs = wheel.Locator("g.ring[data-body=EKO] a.arc");
            Assert.True(await ekoArcs.CountAsync() > 0, "ekonomistaben has a ring with its steps");
            Assert.Equal(0, await wheel.Locator("g.ring[data-body=RS] a.arc[data-body=EKO]").CountAsync());

            // A date does not break inside itself ("7 maj / 2026"): each of the period's two dates sits on one line.
            var period = await rows.First.Locator("td").Nth(2).InnerTextAsync();
            Assert.Matches("^(Tid: )?\\d{1,2}\u00A0\\p{L}+\u00A0\\d{4} – \\d{1,2}\u00A0\\p{L}+\u00A0\\d{4}$", period.Trim());
            await UiHost.AssertNoHorizontalOverflowAsync(page);
            await UiHost.ScreenshotAsync(page, $"arshjulet-table-{width}");
            if (width >= 600)
            {
                Assert.DoesNotContain("Tryck", await page.Locator("[data-testid=wheel-intro]").InnerTextAsync());
                continue;
            }

            // A phone: no hover, so the intro says tap, and a tap shows the step here instead of leaving the wheel.
            // The drawn legend would be a few pixels high: the phone's wheel has none, the page writes it as text.
            Assert.Equal(0, await wheel.Locator("svg .legend").CountAsync());
            await Assertions.Expect(page.Locator("[data-testid=wheel-legend]")).ToContainTextAsync("försenad");
            await Assertions.Expect(page.Locator("[data-testid=wheel-legend-rings]")).ToContainTextAsync("EKO Ekonomistaben");
            var intro = await page.Locator("[data-testid=wheel-intro]").InnerTextAsync();
            Assert.Contains("Tryck på en båge", intro);
            Assert.DoesNotContain("muspekaren", intro);
            var arc = wheel.Locator("svg a.arc[data-step='verksamhetsplan/HSN']").First;
            var number = await arc.GetAttributeAsync("data-number");
            await arc.DispatchEventAsync("click");
            var selected = page.Locator("[data-testid=wheel-selected]");
            await Assertions.Expect(selected).ToContainTextAsync($"{number}. ");
            await Assertions.Expect(selected).ToContainTextAsync("Hälso- och sjukvårdsnämnden");
            await Assertions.Expect(selected).ToBeInViewportAsync();
            Assert.Contains("/arshjulet?", page.Url, StringComparison.Ordinal);
            Assert.Contains("valt=", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(table.Locator($"tbody tr[data-number='{number}']")).ToHaveClassAsync(new Regex("selected"));
            var open = selected.Locator("[data-testid=wheel-selected-open]");
            await Assertions.Expect(open).ToHaveAttributeAsync("href", new Regex("^/steg/[0-9a-f-]{36}$"));
            // Readable at 390 px: the details and the table in body text size, not the drawing's scaled-down type.
            var size = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('table[data-testid=wheel-table] td')).fontSize)");
            Assert.True(size >= 14, $"table text {size}px");
            // Each row a card on the phone: no cell narrower than a word ("sjukvårdsnämnden") would need.
            var narrowest = await page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('table[data-testid=wheel-table] tbody td')].map(td => td.getBoundingClientRect().width))");
            Assert.True(narrowest >= 200, $"a table cell is {narrowest}px wide at 390 px");
            await UiHost.AssertNoHorizontalOverflowAsync(page);
            await UiHost.ScreenshotAsync(page, "arshjulet-tapped-390");
        }
    }
}
