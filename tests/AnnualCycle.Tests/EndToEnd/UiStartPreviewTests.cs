using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The start page's preview says which version of the definition a budget year gets and, for an election-year cycle,
/// the election and the definition's handling of it, with the steps it adds or changes marked; each statutory warning
/// names its law. The UI host's clock is 23 November 2026, so the page proposes cycle 2027: 2026 is an election year.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiStartPreviewTests
{
    [Fact]
    public async Task Preview_ShowsTheVersionForTheYear_AndTheElectionYearHandling_OnlyInAnElectionYear()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "start-preview";
        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync("/cykler/ny");
        await UiHost.WaitInteractiveAsync(owner);

        await owner.ClickAsync("[data-testid=preview-button]");
        await Assertions.Expect(owner.Locator("[data-testid=preview-version]")).ToHaveTextAsync("Version 4 av definitionen, för budgetår 2025–");
        var election = owner.Locator("[data-testid=election-year]");
        await Assertions.Expect(election).ToContainTextAsync("Valår 2026: allmänna val 2026-09-13, nyvalda fullmäktige från 2026-10-15.");
        await Assertions.Expect(election).ToContainTextAsync("De nyvalda fullmäktige, som tillträder 15 oktober, beslutar regionplanen med budget i slutet av november.");
        await Assertions.Expect(owner.Locator("[data-testid=preview] tr[data-key=skattesats-forslag] [data-testid=election-step]")).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-testid=preview] tr[data-key=regionplan] [data-testid=election-step]")).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-testid=preview] tr[data-key=kickoff] [data-testid=election-step]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(owner, "start-preview-2027-1280");

        // The transition year of seeds 000 and 004: its own version, no election.
        var year = owner.Locator("input[data-testid=year-input], [data-testid=year-input] input");
        await year.FillAsync("2024");
        await year.PressAsync("Tab");
        await owner.ClickAsync("[data-testid=preview-button]");
        await Assertions.Expect(owner.Locator("[data-testid=preview-version]")).ToHaveTextAsync("Version 3 av definitionen, för budgetår 2024");
        await Assertions.Expect(owner.Locator("[data-testid=election-year]")).ToHaveCountAsync(0);
        await Assertions.Expect(owner.Locator("[data-testid=preview] tr[data-key=oversyn-budgetprocess]")).ToContainTextAsync("2024-09-30");
    }
}
