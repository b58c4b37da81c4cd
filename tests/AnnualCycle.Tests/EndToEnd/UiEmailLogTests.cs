using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// Issue 15: "the process owner cannot see which reminders went out". In Chromium, at 1280 and 390 px, the process owner
/// opens Skickad e-post from the menu, sees the emails about their cycle and reads one as its recipient got it; a
/// contributor is shown access denied.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiEmailLogTests
{
    [Fact]
    public async Task ProcessOwner_ReadsTheEmailsOfTheirCycle_AndAContributorIsRefused()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "email-log";
        var stepId = await host.StartCycle2027Async();
        Guid reminder;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            var step = await db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == stepId);
            var recipient = await db.Users.AsNoTracking().Where(u => u.Email == "hsn.handlaggare@demo.local").Select(u => u.Id).SingleAsync();
            var row = new OutboxMessageEntity
            {
                Id = Guid.NewGuid(),
                Kind = EmailKind.Reminder,
                RecipientUserId = recipient,
                CycleId = step.CycleId,
                StepInstanceId = step.Id,
                DedupKey = "ui-log:" + Guid.NewGuid().ToString("N"),
                // Newer than anything the start recorded: first in the log.
                CreatedAtUtc = UiHost.Now.UtcDateTime.AddMinutes(5),
                State = OutboxState.Sent,
                Attempts = 1,
                SentAtUtc = UiHost.Now.UtcDateTime.AddMinutes(6),
            };
            db.OutboxMessages.Add(row);
            await db.SaveChangesAsync();
            reminder = row.Id;
        }

        foreach (var width in new[] { 1280, 390 })
        {
            var owner = await host.SignInAsync("processagare@demo.local", width: width);
            if (width >= 600)
            {
                await owner.GetByRole(AriaRole.Link, new() { Name = "Skickad e-post" }).ClickAsync();
                await owner.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/epost$"));
            }
            else
            {
                await owner.GotoAsync("/epost");
            }

            await UiHost.WaitInteractiveAsync(owner);
            var row = owner.Locator($"[data-testid=email-log-row][data-id='{reminder}']");
            await Assertions.Expect(row).ToContainTextAsync("hsn.handlaggare@demo.local");
            await Assertions.Expect(row).ToContainTextAsync("Skickad");
            await row.Locator("[data-testid=email-log-read]").ClickAsync();

            var message = owner.Locator($"[data-testid=email-log-message][data-id='{reminder}']");
            await Assertions.Expect(message.Locator("[data-testid=email-log-subject]")).ToContainTextAsync("Påminnelse: ");
            await Assertions.Expect(message.Locator("[data-testid=email-log-subject]")).ToContainTextAsync("Hälso- och sjukvårdsnämnden (2027)");
            var text = message.Locator("[data-testid=email-log-text]");
            await Assertions.Expect(text).ToContainTextAsync("Det här är en påminnelse om steget ”");
            await Assertions.Expect(text).ToContainTextAsync("/steg/" + stepId);
            // The text is in view and as wide as the screen allows, also when the table scrolls sideways on a phone.
            await Assertions.Expect(text).ToBeInViewportAsync();
            var box = await text.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width, $"the message text spans {box?.X}..{box?.X + box?.Width} in a {width}px window");
            // Read-only: nothing on the page sends.
            Assert.Equal(0, await owner.Locator("[data-testid=send-now]").CountAsync());
            await UiHost.AssertNoHorizontalOverflowAsync(owner);
            await UiHost.ScreenshotAsync(owner, $"email-log-{width}");
        }

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        await contributor.GotoAsync("/epost");
        await Assertions.Expect(contributor.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        Assert.Equal(0, await contributor.Locator($"[data-id='{reminder}']").CountAsync());
    }
}
