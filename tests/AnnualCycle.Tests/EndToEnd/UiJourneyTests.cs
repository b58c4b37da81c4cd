using System.Text.RegularExpressions;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>People use the web UI as they would: Chromium against the real host, demo users, the 2027 cycle.</summary>
[Collection(HostCollection.Name)]
public sealed class UiJourneyTests
{
    [Fact]
    public async Task ProcessOwnerStartsCycle_ContributorSubmits_DirectorApproves_DashboardUpdatesWithoutReload()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "journey-sqlite";
        await RunJourneyAsync(host, "sqlite");
    }

    [Fact]
    public async Task Journey_WorksOnPostgreSql()
    {
        await using var host = await UiHost.StartPostgreSqlAsync();
        host.Name = "journey-postgresql";
        await RunJourneyAsync(host, "postgresql");
    }

    private static async Task RunJourneyAsync(UiHost host, string tag)
    {
        // The process owner starts the 2027 cycle from the preview and lands on its dashboard.
        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync("/cykler/ny");
        await UiHost.WaitInteractiveAsync(owner);
        await owner.ClickAsync("[data-testid=preview-button]");
        await Assertions.Expect(owner.Locator("[data-testid=preview] tbody tr").First).ToBeVisibleAsync();
        Assert.True(await owner.Locator("[data-testid=preview] tbody tr").CountAsync() > 20, "the preview lists every step with its dates");
        await UiHost.ScreenshotAsync(owner, $"{tag}-owner-preview-1280");
        await owner.ClickAsync("[data-testid=confirm-start]");
        await owner.WaitForURLAsync(new Regex(@"/cykler/[0-9a-f-]{36}$"));
        await UiHost.WaitInteractiveAsync(owner);
        var dashboardUrl = owner.Url;
        await Assertions.Expect(owner.Locator("[data-testid=cycle-name]")).ToContainTextAsync("2027");
        var hsnCell = owner.Locator("[data-testid=cell][data-step-key*=verksamhetsplan][data-step-key*=HSN]");
        await Assertions.Expect(hsnCell).ToHaveAttributeAsync("data-state", "Opened");
        await UiHost.ScreenshotAsync(owner, $"{tag}-owner-dashboard-1280");

        // The årshjul page embeds the server-drawn wheel of this cycle.
        var wheel = await host.NewSignedInPageAsync("processagare@demo.local", width: 390);
        await wheel.GotoAsync("/arshjulet");
        await UiHost.WaitInteractiveAsync(wheel);
        // On a phone the page switches to the portrait layout once interactive; its arcs then select (?valt=) instead
        // of leaving the page, so wait for the switch rather than race it.
        await Assertions.Expect(wheel.Locator("[data-testid=wheel]")).ToHaveAttributeAsync("data-layout", "portrait");
        await Assertions.Expect(wheel.Locator("[data-testid=wheel] svg a[href*='valt=']").First).ToBeAttachedAsync();
        await UiHost.ScreenshotAsync(wheel, $"{tag}-owner-arshjulet-390");

        // A contributor of Hälso- och sjukvårdsnämnden finds the task and submits it with a link.
        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        var task = contributor.Locator("[data-testid=group-submit] [data-testid=task][data-step-key*=verksamhetsplan]").First;
        await Assertions.Expect(task).ToContainTextAsync("Hälso- och sjukvårdsnämnden");
        await Assertions.Expect(task.Locator("[data-testid=days-left]")).ToContainTextAsync("arbetsdagar kvar");
        await UiHost.ScreenshotAsync(contributor, $"{tag}-contributor-mina-uppgifter-1280");
        await task.Locator("[data-testid=task-link]").ClickAsync();
        await contributor.WaitForURLAsync(new Regex("/steg/"));
        await UiHost.WaitInteractiveAsync(contributor);
        var stepUrl = contributor.Url;
        await contributor.GetByLabel("Länk till underlag").FillAsync("https://docs.example/hsn/verksamhetsplan-2027.docx");
        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.Locator("[data-testid=deliverable]")).ToContainTextAsync("verksamhetsplan-2027.docx");
        await Assertions.Expect(contributor.Locator("[data-testid=submit-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=approve-button]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(contributor, $"{tag}-contributor-step-submitted-1280");

        // The owner's dashboard, never reloaded, shows the submission.
        await Assertions.Expect(hsnCell).ToHaveAttributeAsync("data-state", "Submitted");
        Assert.Equal(dashboardUrl, owner.Url);

        // The förvaltningsdirektör approves on a phone.
        var director = await host.SignInAsync("hsn.direktor@demo.local", width: 390);
        var approveTask = director.Locator("[data-testid=group-approve] [data-testid=task][data-step-key*=verksamhetsplan]").First;
        await approveTask.WaitForAsync();
        await UiHost.ScreenshotAsync(director, $"{tag}-director-mina-uppgifter-390");
        await approveTask.Locator("[data-testid=task-link]").FocusAsync(); // by keyboard: Tab stops on the link, Enter opens it
        await director.Keyboard.PressAsync("Enter");
        await director.WaitForURLAsync(stepUrl);
        await UiHost.WaitInteractiveAsync(director);
        await director.DblClickAsync("[data-testid=approve-button]"); // a double click approves once
        await Assertions.Expect(director.Locator("[data-approval-state=Approved]")).ToHaveCountAsync(1);
        await Assertions.Expect(director.Locator("[data-testid=journal] tr", new PageLocatorOptions { HasText = "Godkändes" })).ToHaveCountAsync(1);
        await Assertions.Expect(director.Locator("[data-testid=approve-button]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(director, $"{tag}-director-step-approved-390");

        // ... and the dashboard follows, still without a reload.
        await Assertions.Expect(hsnCell).ToHaveAttributeAsync("data-state", "Completed");
        Assert.Equal(dashboardUrl, owner.Url);
        await UiHost.ScreenshotAsync(owner, $"{tag}-owner-dashboard-after-approval-1280");
        await UiHost.AssertNoHorizontalOverflowAsync(owner);
        var phone = await host.NewSignedInPageAsync("processagare@demo.local", width: 390);
        await phone.GotoAsync(dashboardUrl);
        await UiHost.WaitInteractiveAsync(phone);
        await UiHost.ScreenshotAsync(phone, $"{tag}-owner-dashboard-390");
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
    }
}
