using System.Text.Json;
using AnnualCycle.Cli;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Cli;

/// <summary>
/// <c>simulate</c> over a few months with HSN leaving its work undone, sending to a real aiosmtpd: what arrives is
/// checked against the outbox rows the verb reports (as JSON), the way a nämnd secretary would read the mailbox.
/// </summary>
public sealed class SimulateVerbTests
{
    [Fact]
    public async Task Simulate_AFewMonthsWithHsnUndone_RemindsTheRightPeople_TellsHsnItIsOverdue_AndSendsEachRowOnce()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        var (code, stdout, stderr) = await Run(["simulate", "--organisation", "region-vasterbotten", "--workflow", "region-vasterbotten", "--year", "2027",
            "--from", "2026-01-01", "--until", "2026-06-30", "--leave-undone", "HSN", "--smtp", $"{server.Host}:{server.Port}", "--json"]);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var emails = json.RootElement.GetProperty("emails").EnumerateArray().Select(e => new
        {
            MessageId = e.GetProperty("messageId").GetString()!,
            Kind = e.GetProperty("kind").GetString()!,
            State = e.GetProperty("state").GetString()!,
            Recipient = e.GetProperty("recipient").GetString()!,
            Step = e.GetProperty("step").GetString(),
            Body = e.GetProperty("body").GetString(),
            SentAt = e.GetProperty("sentAt").GetDateTime(),
        }).ToList();
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(
            s => s.GetProperty("key").GetString()!,
            s => (State: s.GetProperty("state").GetString()!, Body: s.GetProperty("body").GetString()!, ResolvedAt: s.GetProperty("resolvedAt").ValueKind == JsonValueKind.Null ? (DateTime?)null : s.GetProperty("resolvedAt").GetDateTime()));
        Assert.NotEmpty(emails);
        Assert.All(emails, e => Assert.Equal("Sent", e.State));

        // Each outbox row arrived once: as many messages as rows, every Message-ID distinct and one of the rows'.
        var received = server.WaitForMessages(emails.Count);
        Assert.Equal(emails.Count, received.Count);
        Assert.Equal(received.Count, received.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(emails.Select(e => e.MessageId).Order(), received.Select(m => m.MessageId ?? "").Order());
        var byMessageId = received.ToDictionary(m => m.MessageId ?? "");
        Assert.All(emails, e => Assert.Equal(e.Recipient, Assert.Single(byMessageId[e.MessageId].To.Mailboxes).Address));

        // Reminders reached the contributors of the step's body among the demo users, and only them.
        var reminders = emails.Where(e => e.Kind is "Reminder" or "DueToday").ToList();
        Assert.NotEmpty(reminders);
        Assert.All(reminders, r => Assert.Contains(r.Recipient, ContributorsOf(r.Body!)));
        Assert.Contains(reminders, r => r.Step == "planeringsforutsattningar" && r.Recipient == "ekonom@demo.local");
        foreach (var committee in new[] { "HSN", "RUN", "FHS", "PN" })
        {
            var handlaggare = $"{committee.ToLowerInvariant()}.handlaggare@demo.local";
            Assert.Contains(reminders, r => r.Body == committee && r.Recipient == handlaggare);
        }

        // HSN left its återkoppling undone: its handläggare was told it is overdue, its förvaltningsdirektör was escalated to.
        Assert.Contains(emails, e => e.Kind == "Overdue" && e.Body == "HSN" && e.Recipient == "hsn.handlaggare@demo.local");
        Assert.Contains(emails, e => e.Kind == "Escalation" && e.Body == "HSN" && e.Recipient == "hsn.direktor@demo.local");
        Assert.NotEqual("Completed", steps["aterkoppling/HSN"].State);
        Assert.Equal("Completed", steps["aterkoppling/RUN"].State);
        Assert.DoesNotContain(emails, e => e.Kind is "Overdue" or "Escalation" && e.Body != "HSN");

        // Nothing about a step came after it was completed (other than the completion notice itself, at that moment).
        foreach (var email in emails.Where(e => e.Step is not null))
        {
            if (steps[email.Step!].ResolvedAt is { } resolvedAt)
            {
                Assert.True(email.SentAt <= resolvedAt, $"{email.Kind} about {email.Step} to {email.Recipient} sent {email.SentAt:O}, after the step was resolved {resolvedAt:O}");
            }
        }
    }

    [Fact]
    public async Task Simulate_TwoYears_ProducesTheHistoryTheLeadTimeReportCompares()
    {
        var (code, stdout, stderr) = await Run(["simulate", "--year", "2027", "--years", "2", "--from", "2025-01-01", "--until", "2026-06-30", "--json"]);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var leadTimes = json.RootElement.GetProperty("leadTimes");
        Assert.Equal([2026, 2027], leadTimes.GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
        var row = leadTimes.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("stepId").GetString() == "planeringsforutsattningar");
        var years = row.GetProperty("years").EnumerateArray().ToDictionary(c => c.GetProperty("year").GetInt32());
        // The first year's people act two working days after each deadline, the last year's on the day.
        Assert.Equal(1, years[2026].GetProperty("late").GetInt32());
        Assert.True(years[2026].GetProperty("daysLate").GetDouble() >= 2, row.ToString());
        Assert.Equal(0, years[2027].GetProperty("late").GetInt32());
        Assert.True(row.GetProperty("change").GetDouble() < 0, row.ToString());
        Assert.True(leadTimes.GetProperty("rows").GetArrayLength() > 5, leadTimes.ToString());
    }

    [Fact]
    public async Task Simulate_WithoutAYearOrForAnotherOrganisation_Exits2()
    {
        Assert.Equal(2, (await Run(["simulate"])).Code);
        Assert.Equal(2, (await Run(["simulate", "--year", "2027", "--organisation", "region-norrbotten"])).Code);
        Assert.Equal(2, (await Run(["simulate", "--year", "2027", "--from", "2026-13-01"])).Code);
        Assert.Equal(2, (await Run(["simulate", "--year", "2027", "--smtp", "localhost"])).Code);
    }

    private static IEnumerable<string> ContributorsOf(string body) =>
        DemoUsers.All.Where(u => u.Grants.Any(g => g.BodyId == body && g.Role == Roles.Contributor)).Select(u => u.Email);

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
