using AnnualCycle.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The Content-Security-Policy (<c>SecurityHeaders</c>) leaves the Blazor Server UI and MudBlazor working: in a real
/// Chromium the sign-in, the interactive pages and a click through the circuit run without one CSP violation, and a
/// page of the service refuses to be framed by another site.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiSecurityHeadersTests
{
    [Fact]
    public async Task InteractivePages_RunWithoutACspViolation()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "csp";
        var stepId = await host.StartCycle2027Async();
        var violations = new List<string>();
        var page = await host.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };

        await page.GotoAsync("/konto/logga-in");
        await page.FillAsync("#email", "processagare@demo.local");
        await page.FillAsync("#password", UiHost.Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(host.BaseUrl + "/");
        await UiHost.WaitInteractiveAsync(page);
        foreach (var path in new[] { "/cykler", $"/steg/{stepId}", "/arshjulet" })
        {
            await page.GotoAsync(path);
            await UiHost.WaitInteractiveAsync(page);
        }

        // Enhanced navigation and the circuit: a click that the server answers over the WebSocket.
        await page.GotoAsync("/");
        await UiHost.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/konto/logga-in", StringComparison.Ordinal));

        Assert.Empty(violations);
    }

    [Fact]
    public async Task AnotherSitesFrame_StaysEmpty()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "framing";
        var page = await host.NewPageAsync();
        var blocked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                blocked.TrySetResult(message.Text);
            }
        };

        // A page of another origin (about:blank's data URL stands in for it) frames the sign-in page.
        await page.SetContentAsync($"<iframe id=f src=\"{host.BaseUrl}/konto/logga-in\"></iframe>");

        Assert.Contains("frame-ancestors 'none'", await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        var frame = page.Frames.FirstOrDefault(f => f.Url.Contains("/konto/logga-in", StringComparison.Ordinal));
        Assert.True(frame is null || await frame.Locator("#email").CountAsync() == 0, "the sign-in form was drawn inside another site's frame");
    }
}
