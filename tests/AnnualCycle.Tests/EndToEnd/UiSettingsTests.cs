using AnnualCycle.Data.Identity;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>/konto/installningar: email delivery preference and the calendar subscription (URL shown once, renew, revoke).</summary>
[Collection(HostCollection.Name)]
public sealed class UiSettingsTests
{
    private const string Contributor = "hsn.handlaggare@demo.local";

    [Fact]
    public async Task Settings_SaveWeeklyDigest_CreateACalendarUrlThatAnswers_RenewAndRevoke()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "settings";
        var page = await host.SignInAsync(Contributor);
        await page.ClickAsync("a[href='/konto/installningar']");
        await page.WaitForURLAsync(host.BaseUrl + "/konto/installningar");
        await UiHost.WaitInteractiveAsync(page);

        await page.GetByText("Veckosammanfattning måndagar 08.00").ClickAsync();
        await Assertions.Expect(page.GetByText("Sparat.")).ToBeVisibleAsync();
        Assert.Equal(EmailDelivery.WeeklyDigest, await DeliveryAsync(host));

        await Assertions.Expect(page.Locator("[data-testid=calendar-state]")).ToContainTextAsync("ingen kalenderprenumeration");
        await page.ClickAsync("[data-testid=calendar-create]");
        var input = page.GetByLabel("Din kalenderadress");
        await Assertions.Expect(input).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"/calendar/[A-Za-z0-9_-]{43}\.ics$"));
        var url = await input.InputValueAsync();
        await UiHost.ScreenshotAsync(page, "settings-calendar-1280");

        // The feed answers without a cookie (a calendar client has none).
        var path = new Uri(url).AbsolutePath;
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var feed = await anonymous.GetAsync(path);
        Assert.Equal(200, (int)feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("BEGIN:VCALENDAR", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // After a reload the address is not shown again (only its hash is stored); renewing gives a new one and kills the old.
        await page.ReloadAsync();
        await UiHost.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=calendar-url]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=calendar-state]")).ToContainTextAsync("aktiv prenumeration");
        await Assertions.Expect(page.GetByLabel("Veckosammanfattning måndagar 08.00")).ToBeCheckedAsync();
        await page.ClickAsync("[data-testid=calendar-renew]");
        await Assertions.Expect(input).Not.ToHaveValueAsync(url);
        var renewed = new Uri(await input.InputValueAsync()).AbsolutePath;
        Assert.Equal(404, (int)(await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(200, (int)(await anonymous.GetAsync(renewed)).StatusCode);

        await page.ClickAsync("[data-testid=calendar-revoke]");
        await Assertions.Expect(page.Locator("[data-testid=calendar-state]")).ToContainTextAsync("ingen kalenderprenumeration");
        Assert.Equal(404, (int)(await anonymous.GetAsync(renewed)).StatusCode);

        var phone = await host.SignInAsync(Contributor, width: 390);
        await phone.GotoAsync("/konto/installningar");
        await UiHost.WaitInteractiveAsync(phone);
        await phone.ClickAsync("[data-testid=calendar-create]");
        await Assertions.Expect(phone.GetByLabel("Din kalenderadress")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"\.ics$"));
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "settings-calendar-390");
    }

    private static async Task<EmailDelivery> DeliveryAsync(UiHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(Contributor);
        return user!.EmailDelivery;
    }
}
