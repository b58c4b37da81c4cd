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
}
