using System.Text.RegularExpressions;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>People use the web UI as they would: Chromium against the real host, demo users, the 2027 cycle.</summary>
[Collection(HostCollection.Name)]
public sealed class UiJourneyTests
{
    private const string Organisation = "region-vasterbotten";

    [Fact]
    public async Task Contributor_SubmitsFromMinaUppgifter_AndDirectorApproves()
    {
        await using var host = await UiHost.StartSqliteAsync();
        await StartCycleAsync(host);

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        var submitGroup = contributor.Locator("[data-testid=group-submit]");
        var task = submitGroup.Locator("[data-testid=task][data-step-key*=verksamhetsplan]").First;
        await task.WaitForAsync();
        await Assertions.Expect(task).ToContainTextAsync("Hälso- och sjukvårdsnämnden");
        await Assertions.Expect(task.Locator("[data-testid=days-left]")).ToContainTextAsync("arbetsdagar kvar");
        await UiHost.ScreenshotAsync(contributor, "contributor-mina-uppgifter-1280");

        await task.ClickAsync();
        await contributor.WaitForURLAsync(new Regex("/steg/"));
        await UiHost.WaitInteractiveAsync(contributor);
        var stepUrl = contributor.Url;
        await contributor.GetByLabel("Länk till underlag").FillAsync("https://docs.example/hsn/verksamhetsplan-2027.docx");
        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.Locator("[data-testid=deliverable]")).ToContainTextAsync("verksamhetsplan-2027.docx");
        await Assertions.Expect(contributor.Locator("[data-testid=submit-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=approve-button]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(contributor, "contributor-step-submitted-1280");

        var director = await host.SignInAsync("hsn.direktor@demo.local", width: 390);
        var approveTask = director.Locator("[data-testid=group-approve] [data-testid=task][data-step-key*=verksamhetsplan]").First;
        await approveTask.WaitForAsync();
        await UiHost.ScreenshotAsync(director, "director-mina-uppgifter-390");
        await approveTask.ClickAsync();
        await director.WaitForURLAsync(stepUrl);
        await UiHost.WaitInteractiveAsync(director);
        await director.ClickAsync("[data-testid=approve-button]");
        await Assertions.Expect(director.Locator("[data-approval-state=Approved]")).ToHaveCountAsync(1);
        await Assertions.Expect(director.Locator("[data-testid=approve-button]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(director, "director-step-approved-390");
    }

    private static async Task<Guid> StartCycleAsync(UiHost host)
    {
        var owner = await host.ActorAsync("processagare@demo.local");
        await using var scope = host.Services.CreateAsyncScope();
        var cycle = await scope.ServiceProvider.GetRequiredService<StartCycleHandler>().HandleAsync(owner, new StartCycleCommand(Organisation, Organisation, 2027));
        return cycle.Id;
    }
}
