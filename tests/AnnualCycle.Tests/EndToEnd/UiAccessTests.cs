using System.Text.RegularExpressions;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>What the UI refuses, and that the refusal is the server's, not a hidden button's.</summary>
[Collection(HostCollection.Name)]
public sealed class UiAccessTests
{
    [Fact]
    public async Task Contributor_CannotApprove_ByUrlOrCraftedRequest_AndSeesAccessDeniedOnAdminPages()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "access";
        var stepId = await StartAndSubmitAsync(host);

        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        await contributor.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(contributor);
        await Assertions.Expect(contributor.Locator("[data-testid=deliverable]")).ToContainTextAsync("docs.example");
        await Assertions.Expect(contributor.Locator("[data-testid=approve-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(contributor.Locator("[data-testid=return-button]")).ToHaveCountAsync(0);

        // A crafted request with the contributor's own cookie, shaped to pass the forgery guard (own origin, the custom
        // header): the handler itself refuses it (403), and nothing changed.
        var approve = await contributor.APIRequest.PostAsync($"/api/v1/steps/{stepId}/approve", new APIRequestContextOptions
        {
            DataObject = new { comment = "själv" },
            Headers = new Dictionary<string, string> { ["Origin"] = host.BaseUrl, [AnnualCycle.Web.Auth.RequestForgeryGuard.HeaderName] = "XMLHttpRequest" },
        });
        Assert.Equal(403, approve.Status);
        Assert.DoesNotContain(AnnualCycle.Web.Auth.RequestForgeryGuard.RefusalTitle, await approve.TextAsync(), StringComparison.Ordinal);
        var state = await contributor.APIRequest.GetAsync($"/api/v1/steps/{stepId}");
        Assert.Contains("\"state\":\"Submitted\"", await state.TextAsync(), StringComparison.Ordinal);

        foreach (var path in new[] { "/admin/anvandare", "/admin/definitioner", "/cykler/ny" })
        {
            await contributor.GotoAsync(path);
            await Assertions.Expect(contributor.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
            Assert.DoesNotContain("admin", new Uri(contributor.Url).AbsolutePath, StringComparison.Ordinal);
        }

        await UiHost.ScreenshotAsync(contributor, "contributor-access-denied-1280");

        // A deputy sees what they act on for someone else: run.direktor stands in for hsn.direktor today.
        var principal = await host.ActorAsync("hsn.direktor@demo.local");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var today = DateOnly.FromDateTime(UiHost.Now.UtcDateTime);
            await scope.ServiceProvider.GetRequiredService<Deputies>().AppointAsync(await host.ActorAsync("admin@demo.local"), new AppointDeputyCommand(principal.UserId, null, null, "run.direktor@demo.local", today, today.AddDays(7)));
        }

        var deputy = await host.SignInAsync("run.direktor@demo.local", width: 390);
        var forSomeone = deputy.Locator("[data-testid=group-approve] [data-testid=task][data-step-key*=verksamhetsplan]").First;
        await Assertions.Expect(forSomeone.Locator("[data-testid=on-behalf]")).ToContainTextAsync("för Hälso- och sjukvårdsnämndens förvaltningsdirektör");
        await UiHost.ScreenshotAsync(deputy, "deputy-mina-uppgifter-390");

        // The director returns it: a comment is required, and the step goes back to the contributor.
        var director = await host.SignInAsync("hsn.direktor@demo.local", width: 390);
        await director.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(director);
        await director.ClickAsync("[data-testid=return-button]");
        await Assertions.Expect(director.GetByText("Skriv en kommentar först.")).ToBeVisibleAsync();
        await Assertions.Expect(director.Locator("[data-testid=approvals] [data-approval-state=Returned]")).ToHaveCountAsync(0);
        await director.GetByLabel("Kommentar").FillAsync("Ekonomibilagan saknas");
        await director.ClickAsync("[data-testid=return-button]");
        // The return starts a new round: the chain shows round 2 waiting, the returned round 1 is history.
        await Assertions.Expect(director.Locator("[data-testid=returned-banner]")).ToContainTextAsync("Ekonomibilagan saknas");
        await Assertions.Expect(director.Locator("[data-testid=earlier-rounds]")).ToContainTextAsync("Returnerad");
        await Assertions.Expect(director.Locator("[data-testid=approvals] [data-approval-state=Returned]")).ToHaveCountAsync(0);
        await UiHost.AssertNoHorizontalOverflowAsync(director);
        await UiHost.ScreenshotAsync(director, "director-returned-390");

        await contributor.GotoAsync("/");
        await UiHost.WaitInteractiveAsync(contributor);
        await Assertions.Expect(contributor.Locator("[data-testid=group-submit] [data-testid=task][data-step-key*=verksamhetsplan]")).ToHaveCountAsync(1);
        var hangfire = await contributor.APIRequest.GetAsync("/ops/hangfire");
        Assert.Contains(hangfire.Status, new[] { 401, 403 });
    }

    [Fact]
    public async Task UnauthenticatedVisit_RedirectsToSignIn_OneAnswerForUnknownWrongAndLocked_ThenThrottledWith429_WhileTheOwnersSessionLivesOn()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "lockout";

        // The account's owner is signed in elsewhere; the guessing below must not end that session.
        var owner = await host.SignInAsync("pn.handlaggare@demo.local");

        // An administrator has locked another account.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AnnualCycle.Data.Identity.AppUser>>();
            var locked = await users.FindByEmailAsync("fhs.handlaggare@demo.local");
            await users.SetLockoutEndDateAsync(locked!, DateTimeOffset.MaxValue);
        }

        var page = await host.NewPageAsync(390);
        await page.GotoAsync("/cykler");
        await page.WaitForURLAsync(new Regex("/konto/logga-in"));
        Assert.Contains("ReturnUrl=%2Fcykler", page.Url, StringComparison.Ordinal);

        // Unknown, wrong and locked (with its right password) read exactly the same.
        var answers = new List<string>();
        foreach (var (email, password) in new[] { ("finns-inte@demo.local", "fel-lösenord-0"), ("pn.handlaggare@demo.local", "fel-lösenord-1"), ("fhs.handlaggare@demo.local", UiHost.Password) })
        {
            await page.FillAsync("#email", email);
            await page.FillAsync("#password", password);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
            answers.Add(await page.Locator("[data-testid=login-error]").InnerTextAsync());
        }

        Assert.Single(answers.Distinct());
        Assert.Contains("Fel e-postadress eller lösenord", answers[0], StringComparison.Ordinal);
        await UiHost.ScreenshotAsync(page, "login-wrong-password-390");

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await page.FillAsync("#email", "pn.handlaggare@demo.local");
            await page.FillAsync("#password", "fel-lösenord-" + attempt);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("Fel e-postadress eller lösenord");
        }

        // Five failures for the account: even the right password waits now, answered 429 with Retry-After.
        await page.FillAsync("#email", "pn.handlaggare@demo.local");
        await page.FillAsync("#password", UiHost.Password);
        var throttled = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("[data-testid=login-submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/konto/logga-in", StringComparison.Ordinal));
        Assert.Equal(429, throttled.Status);
        Assert.True(int.TryParse(throttled.Headers["retry-after"], out var seconds) && seconds > 0, "Retry-After in seconds");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("För många misslyckade inloggningar");
        Assert.Contains("/konto/logga-in", page.Url, StringComparison.Ordinal);
        await UiHost.ScreenshotAsync(page, "login-throttled-390");

        // The owner's session was never touched.
        await owner.GotoAsync("/");
        await UiHost.WaitInteractiveAsync(owner);
        await Assertions.Expect(owner.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();

        // Another user still signs in, reaches Mina uppgifter and signs out again with the antiforgery-protected form.
        var other = await host.SignInAsync("run.handlaggare@demo.local", width: 1280);
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("Mina uppgifter");
        // The switch loads the page anew: wait for the new page's text first, then for ITS interactive marker (the old
        // page's marker answered at once, and a click on the new page while still prerendered was lost).
        await other.ClickAsync("[data-testid=language-switch]");
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("My tasks");
        await UiHost.WaitInteractiveAsync(other);
        await other.ClickAsync("[data-testid=language-switch]");
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("Mina uppgifter");
        await UiHost.WaitInteractiveAsync(other);
        await other.ClickAsync("[data-testid=sign-out]");
        await other.WaitForURLAsync(new Regex("/konto/logga-in"));
        await other.GotoAsync("/");
        await other.WaitForURLAsync(new Regex("/konto/logga-in"));
    }

    private static async Task<Guid> StartAndSubmitAsync(UiHost host)
    {
        var stepId = await host.StartCycle2027Async();
        var contributor = await host.ActorAsync("hsn.handlaggare@demo.local");
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubmitStepHandler>().HandleAsync(contributor, new SubmitStepCommand(stepId, "https://docs.example/hsn/vp.docx", null));
        return stepId;
    }
}
