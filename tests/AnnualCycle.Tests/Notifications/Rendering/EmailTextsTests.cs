using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Rendering;

namespace AnnualCycle.Tests.Notifications.Rendering;

/// <summary>
/// Every built-in email, in Swedish and English, for one sample step, read as its recipient reads it: the whole subject
/// and the whole opening sentence. The step is "Nämndplan beslutas" of Hälso- och sjukvårdsnämnden in the cycle
/// "Planering, budget och uppföljning – Region Västerbotten 2027", due Friday 11 December 2026 at 23:59.
/// The sentences name the step as "steget ”…”", so the adjectives agree with "steget" (neuter, "klart") whatever the
/// gender of the title, and the year is written once.
/// </summary>
public sealed class EmailTextsTests
{
    private const string Title = "Nämndplan beslutas";
    private const string Body = "Hälso- och sjukvårdsnämnden";
    private const string Cycle = "Planering, budget och uppföljning – Region Västerbotten 2027";
    private static readonly DateTimeOffset Due = StockholmTime.Default.DeadlineInstant(new DateOnly(2026, 12, 11));

    public static TheoryData<EmailKind, EmailLanguage, string, string> Texts => new()
    {
        {
            EmailKind.StepOpened, EmailLanguage.Swedish,
            "Att göra: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden har öppnats och väntar på dig. Det ska vara klart senast fredag 11 december 2026 kl. 23.59."
        },
        {
            EmailKind.Reminder, EmailLanguage.Swedish,
            "Påminnelse: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 3 arbetsdagar kvar",
            "Det här är en påminnelse om steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden, som ska vara klart senast fredag 11 december 2026 kl. 23.59. Det är 3 arbetsdagar kvar."
        },
        {
            EmailKind.DueToday, EmailLanguage.Swedish,
            "Sista dag i dag: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "I dag är sista dagen för steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden: det ska vara klart senast fredag 11 december 2026 kl. 23.59."
        },
        {
            EmailKind.Overdue, EmailLanguage.Swedish,
            "Försenat: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Sista dag för steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden var fredag 11 december 2026 kl. 23.59. Steget är nu försenat med 1 arbetsdag (3 dagar). Se till att det blir klart så snart som möjligt."
        },
        {
            EmailKind.Escalation, EmailLanguage.Swedish,
            "Eskalering: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 3 arbetsdagar (5 dagar) efter sista dag",
            "Sista dag för steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden var fredag 11 december 2026 kl. 23.59, och steget är ännu inte klart. Det är försenat med 3 arbetsdagar (5 dagar). Du får det här meddelandet för att kunna följa upp med Hälso- och sjukvårdsnämnden."
        },
        {
            EmailKind.ApprovalRequested, EmailLanguage.Swedish,
            "Att godkänna: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Anna Andersson har lämnat in steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden, och det väntar nu på ditt godkännande. Steget ska vara klart senast fredag 11 december 2026 kl. 23.59."
        },
        {
            EmailKind.Returned, EmailLanguage.Swedish,
            "Returnerat för komplettering: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Anna Andersson har returnerat steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden för komplettering. Komplettera och lämna in det igen senast fredag 11 december 2026 kl. 23.59."
        },
        {
            EmailKind.Completed, EmailLanguage.Swedish,
            "Klart: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden är klart. Det sista godkännandet gavs av Anna Andersson."
        },
        {
            EmailKind.WeeklyDigest, EmailLanguage.Swedish,
            "Veckans sammanfattning: 1 öppet steg",
            "Det här är öppet för dig just nu:"
        },
        {
            EmailKind.Test, EmailLanguage.Swedish,
            "Testmeddelande från Årshjulet",
            "Det här är ett testmeddelande från Årshjulet. Kommer det fram fungerar e-postinställningarna."
        },
        {
            EmailKind.StepOpened, EmailLanguage.English,
            "New task: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "The step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden is now open and waiting for you. It is due by Friday 11 December 2026 at 23:59."
        },
        {
            EmailKind.Reminder, EmailLanguage.English,
            "Reminder: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 3 working days left",
            "This is a reminder about the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden, which is due by Friday 11 December 2026 at 23:59. There are 3 working days left."
        },
        {
            EmailKind.DueToday, EmailLanguage.English,
            "Due today: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Today is the last day for the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden: it is due by Friday 11 December 2026 at 23:59."
        },
        {
            EmailKind.Overdue, EmailLanguage.English,
            "Overdue: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "The deadline for the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden was Friday 11 December 2026 at 23:59. The step is now 1 working day (3 days) late. Please get it done as soon as you can."
        },
        {
            EmailKind.Escalation, EmailLanguage.English,
            "Escalation: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 3 working days (5 days) past the deadline",
            "The deadline for the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden was Friday 11 December 2026 at 23:59, and the step is still not done. It is 3 working days (5 days) late. You receive this message so that you can follow it up with Hälso- och sjukvårdsnämnden."
        },
        {
            EmailKind.ApprovalRequested, EmailLanguage.English,
            "To approve: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Anna Andersson has submitted the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden, and it is now waiting for your approval. The step is due by Friday 11 December 2026 at 23:59."
        },
        {
            EmailKind.Returned, EmailLanguage.English,
            "Returned for changes: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "Anna Andersson has returned the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden for changes. Please complete it and submit it again by Friday 11 December 2026 at 23:59."
        },
        {
            EmailKind.Completed, EmailLanguage.English,
            "Done: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027)",
            "The step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden is done. The last approval was given by Anna Andersson."
        },
        {
            EmailKind.WeeklyDigest, EmailLanguage.English,
            "Weekly summary: 1 open step",
            "This is open for you right now:"
        },
        {
            EmailKind.Test, EmailLanguage.English,
            "Test message from the annual cycle service",
            "This is a test message from the annual cycle service. If it arrives, the email settings work."
        },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task EveryEmail_ReadsAsWritten_InBothLanguages(EmailKind kind, EmailLanguage language, string subject, string sentence)
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(kind, language));

        Assert.Equal(subject, email.Subject);
        var lines = email.Text.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(language == EmailLanguage.English ? "Hello Anna Sekreterare," : "Hej Anna Sekreterare,", lines[0]);
        Assert.Equal(sentence, lines[2]);
        Assert.Contains($"<p>{sentence}</p>", email.Html);
        Assert.Contains($"<title>{subject}</title>", email.Html);
        Assert.Empty(email.Problems);
        Assert.DoesNotContain("2027 2027", email.Subject + email.Text + email.Html);
        Assert.DoesNotContain("−", email.Subject + email.Text);
        Assert.DoesNotContain("-1", email.Subject + email.Text);
        if (kind is not (EmailKind.WeeklyDigest or EmailKind.Test))
        {
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(email.Subject, "2027"));
        }
    }

    [Theory]
    [InlineData(EmailLanguage.Swedish, "Process: Planering, budget och uppföljning – Region Västerbotten 2027", "Steg: Nämndplan beslutas", "Nämnd/organ: Hälso- och sjukvårdsnämnden", "Sista dag: fredag 11 december 2026 kl. 23.59", "Öppna steget: https://arshjul.region.example/steg/42")]
    [InlineData(EmailLanguage.English, "Cycle: Planering, budget och uppföljning – Region Västerbotten 2027", "Step: Nämndplan beslutas", "Body: Hälso- och sjukvårdsnämnden", "Deadline: Friday 11 December 2026 at 23:59", "Open the step: https://arshjul.region.example/steg/42")]
    public async Task EveryStepEmail_ListsCycleStepBodyAndDeadline_OnceEach(EmailLanguage language, params string[] lines)
    {
        foreach (var kind in Enum.GetValues<EmailKind>().Where(k => k is not (EmailKind.WeeklyDigest or EmailKind.Test)))
        {
            var email = await TestEmails.Renderer().RenderAsync(Sample(kind, language));
            var text = email.Text.ReplaceLineEndings("\n").Split('\n');
            Assert.All(lines, line => Assert.Single(text, l => l == line));
        }
    }

    [Fact]
    public async Task CommentOfTheSubmitter_IsQuoted_UnderTheirName()
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(EmailKind.ApprovalRequested, EmailLanguage.Swedish) with { Comment = "Se bilaga 2." });
        Assert.Contains("Kommentar från Anna Andersson:\nSe bilaga 2.\n", email.Text.ReplaceLineEndings("\n"));
        Assert.Contains("Kommentar från Anna Andersson:</p>", email.Html);
    }

    [Theory]
    [InlineData(EmailLanguage.Swedish, "Steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden har lämnats in och väntar nu på ditt godkännande. Steget ska vara klart senast fredag 11 december 2026 kl. 23.59.")]
    [InlineData(EmailLanguage.English, "The step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden has been submitted and is now waiting for your approval. The step is due by Friday 11 December 2026 at 23:59.")]
    public async Task ApprovalRequest_WithoutAKnownSubmitter_StillReadsWell(EmailLanguage language, string sentence)
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(EmailKind.ApprovalRequested, language) with { ActorName = null });
        Assert.Equal(sentence, email.Text.ReplaceLineEndings("\n").Split('\n')[2]);
    }

    [Theory]
    [InlineData(EmailLanguage.Swedish, "Sista dag för steget ”Nämndplan beslutas” för Hälso- och sjukvårdsnämnden var fredag 11 december 2026 kl. 23.59. Steget är nu försenat med 1 arbetsdag (3 dagar). Det har lämnats in och väntar på ditt godkännande.")]
    [InlineData(EmailLanguage.English, "The deadline for the step “Nämndplan beslutas” for Hälso- och sjukvårdsnämnden was Friday 11 December 2026 at 23:59. The step is now 1 working day (3 days) late. It has been submitted and is waiting for your approval.")]
    public async Task Overdue_ToTheApprover_SaysItWaitsForTheirApproval(EmailLanguage language, string sentence)
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(EmailKind.Overdue, language) with { AwaitingApproval = true });
        Assert.Equal(sentence, email.Text.ReplaceLineEndings("\n").Split('\n')[2]);
    }

    [Theory]
    [InlineData(1, EmailLanguage.Swedish, "Påminnelse: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 1 arbetsdag kvar", "Det är 1 arbetsdag kvar.")]
    [InlineData(1, EmailLanguage.English, "Reminder: Nämndplan beslutas – Hälso- och sjukvårdsnämnden (2027), 1 working day left", "There is 1 working day left.")]
    public async Task Reminder_OneDayLeft_IsSingular(int days, EmailLanguage language, string subject, string ending)
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(EmailKind.Reminder, language) with { WorkingDaysLeft = days });
        Assert.Equal(subject, email.Subject);
        Assert.EndsWith(ending, email.Text.ReplaceLineEndings("\n").Split('\n')[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EmailLanguage.Swedish, "Det markerades som klart av Anna Andersson.")]
    [InlineData(EmailLanguage.English, "It was marked as done by Anna Andersson.")]
    public async Task Completed_ByHand_SaysWhoMarkedIt(EmailLanguage language, string ending)
    {
        var email = await TestEmails.Renderer().RenderAsync(Sample(EmailKind.Completed, language) with { CompletedByApproval = false });
        Assert.EndsWith(ending, email.Text.ReplaceLineEndings("\n").Split('\n')[2], StringComparison.Ordinal);
    }

    [Fact]
    public void CycleLabel_WritesTheYearOnce()
    {
        var model = Sample(EmailKind.Reminder, EmailLanguage.Swedish);
        Assert.Equal(Cycle, model.CycleLabel);
        Assert.Equal("Budget och verksamhetsplan 2027", (model with { CycleName = "Budget och verksamhetsplan" }).CycleLabel);
        Assert.Equal("Budget (2027)", (model with { CycleName = "Budget (2027)" }).CycleLabel);
    }

    private static EmailModel Sample(EmailKind kind, EmailLanguage language) => new(
        kind,
        new EmailRecipient("Anna Sekreterare", "sekreterare@region.example", language),
        "region-vasterbotten",
        Cycle,
        2027,
        Title,
        Body,
        Due,
        kind switch
        {
            EmailKind.Reminder => 3,
            EmailKind.DueToday => 0,
            _ => null,
        },
        EmailModel.StepPath(42),
        ActorName: kind is EmailKind.ApprovalRequested or EmailKind.Returned or EmailKind.Completed ? "Anna Andersson" : null,
        DigestItems: kind == EmailKind.WeeklyDigest ? [new DigestItem(Cycle, Title, Body, Due, "/steg/42")] : null,
        Late: kind switch
        {
            // Monday 14 December 08:00 (the first overdue notice) and Wednesday 16 December (the escalation).
            EmailKind.Overdue => new Lateness(1, 3),
            EmailKind.Escalation => new Lateness(3, 5),
            _ => null,
        },
        CompletedByApproval: kind == EmailKind.Completed);
}
