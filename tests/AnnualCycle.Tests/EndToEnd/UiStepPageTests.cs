using System.Text;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The step page as the contributor and the approver use it (issue 15): it says what to deliver, refuses an empty
/// submission and a renamed file in Swedish, shows a returned step as Returnerad with its comment on top (and on Mina
/// uppgifter), and the approval chain shows the current round only.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiStepPageTests
{
    [Fact]
    public async Task StepPage_SaysWhatToDeliver_RefusesNothing_AndShowsAReturnOnTop()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "step-page";
        var stepId = await host.StartCycle2027Async();

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        await contributor.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(contributor);
        await Assertions.Expect(contributor.Locator("[data-testid=deliverable-text]")).ToContainTextAsync("Verksamhetsplan och ekonomibilaga");

        // Nothing handed in: refused in Swedish, the step stays open.
        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.GetByText("Lämna in en fil, en länk eller åtminstone en kommentar.")).ToBeVisibleAsync();
        await Assertions.Expect(contributor.Locator("[data-state=Opened]").First).ToBeVisibleAsync();
        await Assertions.Expect(contributor.Locator("[data-testid=submit-button]")).ToHaveCountAsync(1);

        // A program renamed to .pdf: the browser says application/pdf, the first bytes say otherwise.
        await contributor.GetByLabel("Välj fil att ladda upp").SetInputFilesAsync(new FilePayload { Name = "plan.pdf", MimeType = "application/pdf", Buffer = [0x4D, 0x5A, 0x90, 0x00, 0x03] });
        await Assertions.Expect(contributor.GetByText("Filens innehåll är inte en pdf-fil", new PageGetByTextOptions { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(contributor.Locator("[data-testid=file]")).ToHaveCountAsync(0);

        // A wrong (but real) PDF can be removed again by the one who uploaded it, before submitting.
        await contributor.GetByLabel("Välj fil att ladda upp").SetInputFilesAsync(new FilePayload { Name = "fel-fil.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n") });
        await Assertions.Expect(contributor.Locator("[data-testid=file]")).ToContainTextAsync("fel-fil.pdf");
        await contributor.ClickAsync("[data-testid=remove-file]");
        await Assertions.Expect(contributor.Locator("[data-testid=file]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=journal]")).ToContainTextAsync("Fil togs bort");

        await contributor.GetByLabel("Länk till underlag").FillAsync("https://docs.example/hsn/vp-2027.docx");
        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.Locator("[data-testid=submit-button]")).ToHaveCountAsync(0);

        // The förvaltningsdirektör returns it with a comment.
        var director = await host.SignInAsync("hsn.direktor@demo.local");
        await director.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(director);
        await director.GetByLabel("Kommentar").FillAsync("Ekonomibilagan saknas.");
        await director.ClickAsync("[data-testid=return-button]");
        await Assertions.Expect(director.Locator("[data-testid=returned-banner]")).ToContainTextAsync("Ekonomibilagan saknas.");

        // Mina uppgifter marks it Returnerad with the comment; the step page says so first.
        var tasks = await host.SignInAsync("hsn.handlaggare@demo.local");
        var task = tasks.Locator("[data-testid=group-submit] [data-testid=task][data-step-key*=verksamhetsplan][data-step-key*=HSN]");
        await Assertions.Expect(task.Locator("[data-testid=returned-note]")).ToContainTextAsync("Returnerad: Ekonomibilagan saknas.");
        await UiHost.ScreenshotAsync(tasks, "step-page-returned-mina-uppgifter-1280");
        await contributor.ReloadAsync();
        await UiHost.WaitInteractiveAsync(contributor);
        var banner = contributor.Locator("[data-testid=returned-banner]");
        await Assertions.Expect(banner).ToContainTextAsync("Returnerad: Ekonomibilagan saknas.");
        var bannerTop = (await banner.BoundingBoxAsync())!.Y;
        Assert.True(bannerTop < (await contributor.Locator("[data-testid=step-due]").BoundingBoxAsync())!.Y, "the return is read before the step's details");
        await UiHost.ScreenshotAsync(contributor, "step-page-returned-1280");

        // Submitted again: the chain shows round 2 only; round 1 is folded away as history.
        await contributor.GetByLabel("Kommentar").First.FillAsync("Ekonomibilagan är med nu.");
        await contributor.GetByLabel("Länk till underlag").FillAsync("https://docs.example/hsn/vp-2027-v2.docx");
        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.Locator("[data-testid=returned-banner]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=approval-round]")).ToHaveTextAsync("Omgång 2");
        await Assertions.Expect(contributor.Locator("[data-testid=approvals] tbody tr:not([data-round='2'])")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=approvals] [data-approval-state=Returned]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=earlier-rounds]")).ToContainTextAsync("Returnerad");
        await UiHost.ScreenshotAsync(contributor, "step-page-round-2-1280");
    }
}
