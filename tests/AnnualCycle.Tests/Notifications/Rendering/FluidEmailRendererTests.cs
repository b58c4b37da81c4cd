using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Rendering;

namespace AnnualCycle.Tests.Notifications.Rendering;

public sealed class FluidEmailRendererTests : IDisposable
{
    private readonly string _templates = Directory.CreateTempSubdirectory("annualcycle-templates-").FullName;

    public void Dispose() => Directory.Delete(_templates, recursive: true);

    [Fact]
    public async Task Reminder_InSwedish_NamesCycleStepBodyDeadlineDaysLeftAndLink()
    {
        var email = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());

        Assert.Equal("Påminnelse: Årsredovisning – Hälso- och sjukvårdsnämnden (2028), 3 arbetsdagar kvar", email.Subject);
        foreach (var part in new[] { email.Html, email.Text })
        {
            Assert.Contains("Budget och verksamhetsplan 2028", part);
            Assert.Contains("Årsredovisning", part);
            Assert.Contains("Hälso- och sjukvårdsnämnden", part);
            Assert.Contains("senast fredag 14 april 2028 kl. 23.59", part);
            Assert.Contains("3 arbetsdagar kvar", part);
            Assert.Contains("https://arshjul.region.example/steg/42", part);
        }

        Assert.Contains("<a href=\"https://arshjul.region.example/steg/42\"", email.Html);
        Assert.DoesNotContain("<", email.Text);
        Assert.Empty(email.Problems);
    }

    [Fact]
    public async Task Reminder_SaysOneWorkingDay_InSingular()
    {
        var email = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder(workingDaysLeft: 1));
        Assert.Contains("1 arbetsdag kvar", email.Text);
        Assert.DoesNotContain("1 arbetsdagar", email.Text);
    }

    [Fact]
    public async Task Reminder_InEnglish_UsesEnglishDateAndWords()
    {
        var email = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder(EmailLanguage.English));

        Assert.Equal("Reminder: Årsredovisning – Hälso- och sjukvårdsnämnden (2028), 3 working days left", email.Subject);
        Assert.Contains("by Friday 14 April 2028 at 23:59", email.Html);
        Assert.Contains("by Friday 14 April 2028 at 23:59", email.Text);
        Assert.Contains("lang=\"en\"", email.Html);
        Assert.DoesNotContain("arbetsdag", email.Text);
    }

    [Theory]
    [InlineData(EmailLanguage.Swedish)]
    [InlineData(EmailLanguage.English)]
    public async Task EveryKind_RendersSubjectHtmlAndText_InBothLanguages(EmailLanguage language)
    {
        var renderer = TestEmails.Renderer();
        foreach (var kind in Enum.GetValues<EmailKind>())
        {
            var model = TestEmails.Reminder(language, kind: kind) with
            {
                ActorName = "Bo Direktör",
                DigestItems = [new DigestItem("Budget och verksamhetsplan 2028", "Nämndplan", "Kulturnämnden", TestEmails.Due, "/steps/7", Overdue: true)],
            };
            var email = await renderer.RenderAsync(model);

            Assert.False(string.IsNullOrWhiteSpace(email.Subject), $"{kind}: empty subject");
            Assert.DoesNotContain('\n', email.Subject);
            Assert.StartsWith("<!DOCTYPE html>", email.Html);
            Assert.Contains("Anna Sekreterare", email.Text);
            if (kind == EmailKind.WeeklyDigest)
            {
                Assert.Contains("Nämndplan", email.Html);
                Assert.Contains("https://arshjul.region.example/steps/7", email.Text);
            }
            else if (kind != EmailKind.Test)
            {
                Assert.Contains(DeadlineText.FormatDeadline(TestEmails.Due, language, StockholmTime.Default), email.Text);
                Assert.Contains("https://arshjul.region.example/steg/42", email.Html);
                Assert.Contains("Hälso- och sjukvårdsnämnden", email.Subject + email.Text);
            }
        }
    }

    [Fact]
    public async Task WeeklyDigest_ListsEachOpenStepWithDueDate_AndMarksOverdue()
    {
        var model = TestEmails.Reminder(kind: EmailKind.WeeklyDigest) with
        {
            DigestItems =
            [
                new DigestItem("Budget 2028", "Nämndplan", "Kulturnämnden", TestEmails.Due, "/steps/4"),
                new DigestItem("Budget 2028", "Återkoppling <b>", "Kulturnämnden", TestEmails.Due.AddDays(-7), "/steps/5", Overdue: true),
            ],
        };

        var email = await TestEmails.Renderer().RenderAsync(model);

        Assert.Equal("Veckans sammanfattning: 2 öppna steg", email.Subject);
        Assert.Contains("- Nämndplan – Kulturnämnden (Budget 2028)\n  senast fredag 14 april 2028 kl. 23.59\n  https://arshjul.region.example/steps/4", email.Text.ReplaceLineEndings("\n"));
        Assert.Contains("- FÖRSENAT: Återkoppling <b> – Kulturnämnden", email.Text);
        Assert.Contains("senast fredag 7 april 2028 kl. 23.59", email.Html);
        Assert.Contains("Återkoppling &lt;b&gt;", email.Html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(email.Html, "FÖRSENAT"));
    }

    [Fact]
    public async Task WeeklyDigest_WithNothingOpen_SaysSo()
    {
        var email = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder(kind: EmailKind.WeeklyDigest) with { DigestItems = [] });
        Assert.Equal("Veckans sammanfattning: 0 öppna steg", email.Subject);
        Assert.Contains("Du har inga öppna steg just nu.", email.Text);
    }

    [Fact]
    public async Task UserText_IsHtmlEncoded_AndLiquidInItIsShownLiterally()
    {
        var model = TestEmails.Reminder(kind: EmailKind.Returned, comment: "<script>alert(1)</script> {{ 7 | plus: 1 }} {% if true %}x{% endif %}")
            with { StepTitle = "Plan {{ cycle_name }}" };

        var email = await TestEmails.Renderer().RenderAsync(model);

        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", email.Html);
        Assert.Contains("{{ 7 | plus: 1 }}", email.Html);
        Assert.Contains("{{ 7 | plus: 1 }}", email.Text);
        Assert.Contains("{% if true %}x{% endif %}", email.Text);
        Assert.Contains("Plan {{ cycle_name }}", email.Subject);
        Assert.Contains("<script>alert(1)</script>", email.Text);
    }

    [Fact]
    public async Task Override_IsUsed_ForItsOrganisationOnly()
    {
        WriteOverride("region-vasterbotten", "sv", "reminder.subject.liquid", "VLL: {{ step_title }} {{ due }}");

        var renderer = TestEmails.Renderer(_templates);
        var own = await renderer.RenderAsync(TestEmails.Reminder());
        var other = await renderer.RenderAsync(TestEmails.Reminder(organisation: "region-norrbotten"));

        Assert.Equal("VLL: Årsredovisning senast fredag 14 april 2028 kl. 23.59", own.Subject);
        Assert.StartsWith("Påminnelse:", other.Subject);
        Assert.Empty(own.Problems);
    }

    [Fact]
    public async Task LoopingOverride_IsStopped_ReportedWithPath_AndBuiltInUsed()
    {
        var path = WriteOverride("region-vasterbotten", "sv", "reminder.html.liquid", "{% for i in (1..100000000) %}{{ i }}{% endfor %}");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var email = await TestEmails.Renderer(_templates).RenderAsync(TestEmails.Reminder());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var problem = Assert.Single(email.Problems);
        Assert.Equal(path + ":1:13: a range of 100000000 items is larger than the 10000 a template may use", problem);
        Assert.Contains("senast fredag 14 april 2028 kl. 23.59", email.Html);
        Assert.DoesNotContain("99999", email.Html);
    }

    [Fact]
    public async Task NestedLoopsOverride_IsStoppedByMaxSteps_AndBuiltInUsed()
    {
        var path = WriteOverride(
            "region-vasterbotten",
            "sv",
            "reminder.txt.liquid",
            "{% for i in (1..10000) %}{% for j in (1..10000) %}{{ j }}{% endfor %}{% endfor %}");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var email = await TestEmails.Renderer(_templates).RenderAsync(TestEmails.Reminder());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        var problem = Assert.Single(email.Problems);
        Assert.StartsWith(path + ": stopped while rendering", problem);
        Assert.Contains("3 arbetsdagar kvar", email.Text);
    }

    [Fact]
    public async Task RangeWithAssignedBound_IsRefused()
    {
        var path = WriteOverride("region-vasterbotten", "sv", "reminder.txt.liquid", "{% assign n = 100000000 %}\n{% for i in (1..n) %}x{% endfor %}");

        var email = await TestEmails.Renderer(_templates).RenderAsync(TestEmails.Reminder());

        Assert.Equal(path + ":2:13: a range in a template must have numbers as bounds, e.g. (1..12)", Assert.Single(email.Problems));
    }

    [Fact]
    public async Task BrokenOverride_IsReportedAsPathLineColumn_AndBuiltInUsed()
    {
        var path = WriteOverride("region-vasterbotten", "sv", "reminder.txt.liquid", "Hej\n{% if step_title %}\nnever closed {{ step_title ");

        var email = await TestEmails.Renderer(_templates).RenderAsync(TestEmails.Reminder());

        var problem = Assert.Single(email.Problems);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(path) + @":\d+:\d+: \S", problem);
        Assert.DoesNotMatch(@":1:1: ", problem);
        Assert.Contains("3 arbetsdagar kvar", email.Text);
    }

    [Fact]
    public void CheckOverrides_ReportsBrokenAndUnknownFiles()
    {
        WriteOverride("region-vasterbotten", "sv", "reminder.html.liquid", "{% for x in items %}");
        WriteOverride("region-vasterbotten", "sv", "remindr.html.liquid", "ok");
        WriteOverride("region-vasterbotten", "en", "completed.txt.liquid", "fine {{ step_title }}");

        var problems = new TemplateStore(_templates).CheckOverrides();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("reminder.html.liquid:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("remindr.html.liquid:1:1: not a template", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelativeTemplatesFolder_IsReadFromTheRepositoryRoot_AndReportedAsConfigured()
    {
        var folder = Path.Combine(_templates, "workflows", "templates", "region-vasterbotten", "sv");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "reminder.html.liquid"), "<p>\n{% endif %}</p>");
        var options = TestEmails.Options("workflows/templates");
        var renderer = new FluidEmailRenderer(new TemplateStore(options.TemplatesFolder, _templates), Microsoft.Extensions.Options.Options.Create(options), StockholmTime.Default);

        var email = await renderer.RenderAsync(TestEmails.Reminder());

        Assert.StartsWith("workflows/templates/region-vasterbotten/sv/reminder.html.liquid:2:", Assert.Single(email.Problems));
    }

    [Fact]
    public void ParseError_WithoutPosition_IsReportedAtLineOne()
    {
        Assert.Equal("a/b.liquid:3:7: Invalid tag", TemplateStore.FormatParseError("a/b.liquid", "Invalid tag at (3:7)"));
        Assert.Equal("a/b.liquid:1:1: odd", TemplateStore.FormatParseError("a/b.liquid", "odd"));
        Assert.Equal(
            "a/b.liquid:3:27: End of tag '}}' was expected",
            TemplateStore.FormatParseError("a/b.liquid", "End of tag '}}' was expected at (3:27)\nSource:\nnever closed {{ x "));
    }

    private string WriteOverride(string organisation, string language, string file, string content)
    {
        var folder = Path.Combine(_templates, organisation, language);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, content);
        return path;
    }
}
