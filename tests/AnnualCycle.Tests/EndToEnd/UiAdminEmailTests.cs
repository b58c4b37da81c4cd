using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>The administrator's email log (/admin/epost): counts, filters, Skicka nu, the SMTP test; others are turned away.</summary>
[Collection(HostCollection.Name)]
public sealed class UiAdminEmailTests
{
    private const string Admin = "admin@demo.local";

    [Fact]
    public async Task Administrator_SeesTheEmailLog_SendsADeadLetterNow_AndANonAdminIsDenied()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "admin-email";
        var dead = await RecordAsync(host, OutboxState.DeadLetter);
        await RecordAsync(host, OutboxState.Sent);

        var admin = await host.SignInAsync(Admin);
        await admin.ClickAsync("a[href='/admin/epost']");
        await admin.WaitForURLAsync(host.BaseUrl + "/admin/epost");
        await UiHost.WaitInteractiveAsync(admin);
        await Assertions.Expect(admin.Locator("[data-testid=email-stats] [data-state=DeadLetter]")).ToHaveAttributeAsync("data-count", "1");
        await Assertions.Expect(admin.Locator($"[data-testid=email-row][data-id='{dead}']")).ToContainTextAsync(Admin);
        // Only a failed row offers Skicka nu.
        await Assertions.Expect(admin.Locator("[data-testid=email-row][data-state=Sent] [data-testid=send-now]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(admin, "admin-email-log-1280");

        // Filter by state.
        await admin.Locator("[data-testid=filter-state]").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Skickad" }).First.ClickAsync();
        await admin.ClickAsync("[data-testid=filter-button]");
        await Assertions.Expect(admin.Locator("[data-testid=email-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("[data-testid=email-row]")).ToHaveAttributeAsync("data-state", "Sent");

        await admin.Locator("[data-testid=filter-state]").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Misslyckad" }).First.ClickAsync();
        await admin.ClickAsync("[data-testid=filter-button]");
        await admin.Locator($"[data-testid=email-row][data-id='{dead}'] [data-testid=send-now]").ClickAsync();
        await Assertions.Expect(admin.GetByText("Meddelandet skickas nu.")).ToBeVisibleAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().OutboxMessages.AsNoTracking().SingleAsync(o => o.Id == dead);
            Assert.NotEqual(OutboxState.DeadLetter, row.State);
        }

        // The SMTP test shows what the server answered.
        await admin.GetByLabel("Mottagarens e-postadress").FillAsync("test@demo.local");
        await admin.ClickAsync("[data-testid=test-email-button]");
        await Assertions.Expect(admin.Locator("[data-testid=test-email-result]")).ToContainTextAsync("Svar från e-postservern");
        await Assertions.Expect(admin.Locator("[data-testid=test-email-result]")).ToContainTextAsync("Transport");

        var phone = await host.SignInAsync(Admin, width: 390);
        await phone.GotoAsync("/admin/epost");
        await UiHost.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("[data-testid=email-log]")).ToBeVisibleAsync();
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "admin-email-log-390");

        // A process owner is no administrator: access denied, and no email link in the menu.
        var owner = await host.SignInAsync("processagare@demo.local");
        await Assertions.Expect(owner.Locator("a[href='/admin/epost']")).ToHaveCountAsync(0);
        await owner.GotoAsync("/admin/epost");
        await Assertions.Expect(owner.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-testid=email-log]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(owner, "admin-email-denied-1280");
    }

    private static async Task<Guid> RecordAsync(UiHost host, OutboxState state)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var admin = await db.Users.SingleAsync(u => u.Email == Admin);
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.WeeklyDigest,
            RecipientUserId = admin.Id,
            DedupKey = "test:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = UiHost.Now.UtcDateTime,
            State = state,
            Attempts = 1,
            FirstAttemptAtUtc = UiHost.Now.UtcDateTime.AddDays(-3),
            SentAtUtc = state == OutboxState.Sent ? UiHost.Now.UtcDateTime : null,
            LastStatusCode = state == OutboxState.Sent ? null : 550,
            LastError = state == OutboxState.Sent ? null : "refused earlier",
            PayloadJson = """{"OrganisationId":"region-vasterbotten","Items":[]}""",
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }
}
