using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// Issue 15 in Chromium: hälso- och sjukvårdsnämndens sekreterare records the nämnd's decision on the återkoppling with
/// the meeting date (prefilled with the nämnd's last meeting on or before today, 11 November 2026) and the paragraph;
/// without the § the page refuses in Swedish; the approval chain and the journal then say "Beslutat 2026-11-11, § 123".
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiMeetingDecisionTests
{
    [Fact]
    public async Task Secretary_RecordsMeetingDateAndParagraph_ShownInTheChainAndTheJournal()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "meeting-decision";
        await host.StartCycle2027Async();
        var stepId = await ApprovedByTheDirectorAsync(host);

        var secretary = await host.SignInAsync("hsn.sekreterare@demo.local");
        await secretary.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(secretary);
        var form = secretary.Locator("[data-testid=meeting-decision]");
        await Assertions.Expect(form).ToContainTextAsync("Hälso- och sjukvårdsnämnden");
        var date = secretary.GetByLabel("Sammanträdesdatum");
        await Assertions.Expect(date).ToHaveValueAsync("2026-11-11");
        await Assertions.Expect(form.Locator("[data-testid=not-a-meeting]")).ToHaveCountAsync(0);

        // The form with the nämnd's fields passes axe (before a snackbar shows, and while the page has no comments: the
        // comments list and the error snackbar have axe findings of their own, outside this form).
        var axe = await secretary.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var violations = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));

        // Without the paragraph: refused in Swedish, nothing signed.
        await secretary.ClickAsync("[data-testid=approve-button]");
        await Assertions.Expect(secretary.Locator(".mud-snackbar")).ToContainTextAsync("Fyll i paragrafen (§).");
        Assert.Equal(ApprovalState.Pending, (await NamndApprovalAsync(host, stepId)).State);

        // A day the sammanträdesplan does not know is warned about (not refused); back to the meeting.
        await date.FillAsync("2026-11-12");
        await date.PressAsync("Tab");
        await Assertions.Expect(form.Locator("[data-testid=not-a-meeting]")).ToContainTextAsync("inte ett sammanträde");
        await date.FillAsync("2026-11-11");
        await date.PressAsync("Tab");
        await Assertions.Expect(form.Locator("[data-testid=not-a-meeting]")).ToHaveCountAsync(0);

        await secretary.GetByLabel("Paragraf (§)").FillAsync("§ 123");
        await secretary.GetByLabel("Kommentar").FillAsync("Nämnden godkände återkopplingen.");
        await secretary.ClickAsync("[data-testid=approve-button]");
        await Assertions.Expect(secretary.Locator("[data-testid=approval-decision]")).ToHaveTextAsync("Beslutat 2026-11-11, § 123");
        await Assertions.Expect(secretary.Locator("[data-testid=journal]")).ToContainTextAsync("Beslutat 2026-11-11, § 123 – Nämnden godkände återkopplingen.");
        await UiHost.ScreenshotAsync(secretary, "secretary-decision-recorded-1280");

        var approval = await NamndApprovalAsync(host, stepId);
        Assert.Equal((ApprovalState.Approved, new DateOnly(2026, 11, 11), "§ 123"), (approval.State, approval.MeetingDate, approval.Paragraph));
    }

    /// <summary>Planeringsförutsättningarna done, HSN's återkoppling submitted by its handläggare and signed by its director.</summary>
    private static async Task<Guid> ApprovedByTheDirectorAsync(UiHost host)
    {
        async Task<Guid> IdAsync(string key)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().StepInstances.Where(s => s.Key == key).Select(s => s.Id).SingleAsync();
        }

        async Task RunAsync(Func<IServiceProvider, Task> action)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await action(scope.ServiceProvider);
        }

        var pf = await IdAsync("planeringsforutsattningar");
        var ekonom = await host.ActorAsync("ekonom@demo.local");
        await RunAsync(s => s.GetRequiredService<SubmitStepHandler>().HandleAsync(ekonom, new SubmitStepCommand(pf, "https://docs.example/pf.pdf", null)));
        var rd = await host.ActorAsync("regiondirektor@demo.local");
        await RunAsync(s => s.GetRequiredService<ApproveStepHandler>().HandleAsync(rd, new ApproveStepCommand(pf, null)));

        var step = await IdAsync("aterkoppling/HSN");
        var contributor = await host.ActorAsync("hsn.handlaggare@demo.local");
        await RunAsync(s => s.GetRequiredService<SubmitStepHandler>().HandleAsync(contributor, new SubmitStepCommand(step, "https://docs.example/hsn/aterkoppling.docx", null)));
        var director = await host.ActorAsync("hsn.direktor@demo.local");
        await RunAsync(s => s.GetRequiredService<ApproveStepHandler>().HandleAsync(director, new ApproveStepCommand(step, null)));
        return step;
    }

    private static async Task<ApprovalInstanceEntity> NamndApprovalAsync(UiHost host, Guid stepId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Approvals.AsNoTracking().SingleAsync(a => a.StepInstanceId == stepId && a.Role == "namnd");
    }
}
