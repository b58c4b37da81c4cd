using System.Text;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>A contributor uploads a file on an open step, submits referring to it, and the file downloads as uploaded.</summary>
[Collection(HostCollection.Name)]
public sealed class UiDeliverableTests
{
    [Fact]
    public async Task Contributor_UploadsAPdf_SubmitsReferringToIt_AndTheFileDownloads()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "deliverable";
        var stepId = await host.StartCycle2027Async();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        await contributor.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(contributor);
        await Assertions.Expect(contributor.Locator("[data-testid=upload-rules]")).ToContainTextAsync("pdf");
        await Assertions.Expect(contributor.Locator("[data-testid=upload-rules]")).ToContainTextAsync("Högst 20 MB");

        // A type outside the allow-list is refused in Swedish and nothing is stored.
        await contributor.GetByLabel("Välj fil att ladda upp").SetInputFilesAsync(new FilePayload { Name = "virus.exe", MimeType = "application/octet-stream", Buffer = [1, 2, 3] });
        await Assertions.Expect(contributor.GetByText("Filtypen för virus.exe är inte tillåten", new PageGetByTextOptions { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(contributor.Locator("[data-testid=file]")).ToHaveCountAsync(0);

        await contributor.GetByLabel("Välj fil att ladda upp").SetInputFilesAsync(new FilePayload { Name = "verksamhetsplan-2027.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Assertions.Expect(contributor.Locator("[data-testid=file]")).ToContainTextAsync("verksamhetsplan-2027.pdf");
        await Assertions.Expect(contributor.Locator("[data-testid=submit-file]")).ToContainTextAsync("verksamhetsplan-2027.pdf");
        await UiHost.ScreenshotAsync(contributor, "deliverable-uploaded-1280");

        await contributor.ClickAsync("[data-testid=submit-button]");
        await Assertions.Expect(contributor.Locator("[data-testid=submitted-file]")).ToContainTextAsync("verksamhetsplan-2027.pdf");
        await Assertions.Expect(contributor.Locator("[data-testid=submit-button]")).ToHaveCountAsync(0);
        // The file is the deliverable (not "inget underlag"), and the upload reads as Swedish in the journal, not in the comments.
        await Assertions.Expect(contributor.GetByText("Inget underlag inlämnat")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=journal]")).ToContainTextAsync("Fil laddades upp");
        await Assertions.Expect(contributor.Locator("[data-testid=journal]")).Not.ToContainTextAsync("DeliverableUploaded");

        var owner = await host.ActorAsync("processagare@demo.local");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var step = (await scope.ServiceProvider.GetRequiredService<GetStepQuery>().HandleAsync(owner, stepId)).Step;
            Assert.Equal("Submitted", step.State);
            Assert.NotNull(step.DeliverableFileId);
        }

        // The link downloads the same bytes (with the signed-in person's cookie).
        var href = await contributor.Locator("[data-testid=submitted-file] a").GetAttributeAsync("href");
        Assert.Matches($"^/api/v1/steps/{stepId}/deliverable/[0-9a-f-]{{36}}$", href);
        var response = await contributor.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.Equal(pdf, await response.BodyAsync());

        // At phone width the step with its file still fits.
        var phone = await host.SignInAsync("hsn.handlaggare@demo.local", width: 390);
        await phone.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("[data-testid=file]")).ToContainTextAsync("verksamhetsplan-2027.pdf");
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "deliverable-submitted-390");
    }
}
