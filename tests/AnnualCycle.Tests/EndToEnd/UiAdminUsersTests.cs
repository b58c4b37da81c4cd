using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>An administrator creates a user, gives a role from the organisation's list, and locks the account.</summary>
[Collection(HostCollection.Name)]
public sealed class UiAdminUsersTests
{
    [Fact]
    public async Task Administrator_CreatesAUser_GrantsARole_AndLocksTheAccount_WhichThenCannotSignIn()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "admin-users";
        var admin = await host.SignInAsync("admin@demo.local");
        await admin.GotoAsync("/admin/anvandare");
        await UiHost.WaitInteractiveAsync(admin);

        await admin.GetByLabel("E-postadress", new() { Exact = true }).FillAsync("kultur.sekreterare@demo.local");
        await admin.GetByLabel("Namn", new() { Exact = true }).FillAsync("Kulturens sekreterare");
        await admin.GetByLabel("Startlösenord", new() { Exact = true }).FillAsync("Ett-långt-lösen-2026");
        await admin.ClickAsync("[data-testid=create-user]");
        var row = admin.Locator("[data-testid=users] tr", new() { HasText = "kultur.sekreterare@demo.local" });
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // The role picker offers the organisation's named approver roles, not just free text.
        await admin.Locator("[data-testid=grant-role]").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Option, new() { NameRegex = new System.Text.RegularExpressions.Regex("forvaltningsdirektor") }).First).ToBeVisibleAsync();
        await admin.Keyboard.PressAsync("Escape");

        // The new user can sign in before being locked …
        var user = await host.SignInAsync("kultur.sekreterare@demo.local", password: "Ett-långt-lösen-2026");
        Assert.DoesNotContain("/konto/logga-in", user.Url, StringComparison.Ordinal);

        await admin.ClickAsync("[data-testid='lock-kultur.sekreterare@demo.local']");
        await Assertions.Expect(row).ToContainTextAsync("Låst");
        await UiHost.ScreenshotAsync(admin, "admin-users-locked-1280");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var stored = (await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(await host.ActorAsync("admin@demo.local"))).Single(u => u.Email == "kultur.sekreterare@demo.local");
            Assert.True(stored.LockedOut);
            Assert.Equal("Kulturens sekreterare", stored.DisplayName);
        }

        // … and not after.
        var refused = await host.NewPageAsync();
        await refused.GotoAsync("/konto/logga-in");
        await refused.FillAsync("#email", "kultur.sekreterare@demo.local");
        await refused.FillAsync("#password", "Ett-långt-lösen-2026");
        await refused.ClickAsync("[data-testid=login-submit]");
        await refused.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("/konto/logga-in", refused.Url, StringComparison.Ordinal);
        await Assertions.Expect(refused.Locator("form")).ToContainTextAsync("låst", new() { IgnoreCase = true });
    }

    [Fact]
    public async Task TheOnlyAdministrator_ClickingLockOnThemselves_IsRefusedOnTheServer_AndStaysActive()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "admin-self-lock";
        var admin = await host.SignInAsync("admin@demo.local");
        await admin.GotoAsync("/admin/anvandare");
        await UiHost.WaitInteractiveAsync(admin);
        var row = admin.Locator("[data-testid=users] tr", new() { HasText = "admin@demo.local" });

        await admin.ClickAsync("[data-testid='lock-admin@demo.local']");

        await Assertions.Expect(admin.Locator(".mud-snackbar")).ToBeVisibleAsync();
        await Assertions.Expect(row).Not.ToContainTextAsync("Låst");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var stored = (await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(await host.ActorAsync("admin@demo.local"))).Single(u => u.Email == "admin@demo.local");
            Assert.False(stored.LockedOut);
        }

        var again = await host.SignInAsync("admin@demo.local");
        Assert.DoesNotContain("/konto/logga-in", again.Url, StringComparison.Ordinal);
    }

    /// <summary>Issue 15: the admin's body picker mixed both regions' bodies without a label; each body now names its organisation.</summary>
    [Fact]
    public async Task SystemAdministrator_BodyPicker_LabelsEachBodyWithItsOrganisation()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "admin-body-picker";
        await AnnualCycle.Tests.Web.People.TwoOrganisations.SeedAsync(host.Services);
        var admin = await host.SignInAsync(AnnualCycle.Tests.Web.People.TwoOrganisations.SystemAdmin);
        await admin.GotoAsync("/admin/anvandare");
        await UiHost.WaitInteractiveAsync(admin);

        await admin.Locator("[data-testid=grant-body]").ClickAsync();
        var options = admin.GetByRole(AriaRole.Option);
        await Assertions.Expect(options.First).ToBeVisibleAsync();
        var texts = (await options.AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

        Assert.Contains("Region Västerbotten – Hälso- och sjukvårdsnämnden", texts);
        Assert.Contains("Region Norrbotten – Hälso- och sjukvårdsnämnden", texts);
        Assert.All(texts, t => Assert.Matches("^Region (Västerbotten|Norrbotten)", t));
        await UiHost.ScreenshotAsync(admin, "admin-body-picker-1280");
    }
}
