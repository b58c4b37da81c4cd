using System.Text.RegularExpressions;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Meetings;
using AnnualCycle.Tests.Domain.Definitions;
using AnnualCycle.Web.Ui;
using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>
/// Messages that come from below the UI are Swedish on the page (issue 15): the meeting importer's problems ("'2027-02-30'
/// is not a date", "unknown body") and Identity's password and account rules ("Passwords must be at least 12
/// characters."). The texts are produced by the real parser and Identity's own error describer, so a changed wording
/// there fails here instead of leaking English.
/// </summary>
public sealed class SwedishMessagesTests
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, StockholmTime.Default);

    /// <summary>English words none of the Swedish messages may keep.</summary>
    private static readonly Regex English = new(@"\b(line|unknown|body|is not|date|outside|expected|found|missing|must|names no|already|Passwords?|characters|different|Incorrect|taken|invalid|region-vasterbotten)\b");

    [Fact]
    public void MeetingImportProblems_AreSwedish_WithTheirPlace()
    {
        var organisation = Catalog.FindOrganisation("region-vasterbotten")!;
        var csv = "organ;datum;rubrik\nHSN;2027-02-30;Sammanträde\nXYZ;2027-03-10;\nRF;2028-01-12;\nRS\n";
        var (_, csvProblems) = MeetingFileParser.Parse("text/csv", csv, organisation, 2027, StockholmTime.Default);
        var ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:m1\nDTSTART:20270230\nCATEGORIES:Okänd\nEND:VEVENT\nBEGIN:VEVENT\nUID:m2\nEND:VEVENT\nEND:VCALENDAR\n";
        var (_, icsProblems) = MeetingFileParser.Parse("text/calendar", ics, organisation, 2027, StockholmTime.Default);
        var (_, headerProblems) = MeetingFileParser.Parse("text/csv", "namn,dag\nHSN,2027-02-01\n", organisation, 2027, StockholmTime.Default);
        var (_, emptyProblems) = MeetingFileParser.Parse("text/csv", "\n", organisation, 2027, StockholmTime.Default);

        // The importer speaks Swedish itself (each problem starting with its place); the UI passes it on unchanged.
        var swedish = csvProblems.Concat(icsProblems).Concat(headerProblems).Concat(emptyProblems).ToList();
        Assert.All(swedish, s => Assert.Matches(@"^(rad \d+:\d+: |VEVENT \S+ på rad \d+)", s));
        Assert.Contains("rad 3:1: okänt organ 'XYZ' i organisationen (ange organets id, t.ex. RF, eller namn)", swedish);
        // The header problem names the accepted English column names (body, date) on purpose.
        Assert.All(swedish.Where(s => !s.Contains("rubrikraden", StringComparison.Ordinal)), s => Assert.DoesNotMatch(English, s));
        Assert.Equal("Kontrollera filen: rad 3:1: okänt organ 'XYZ' i organisationen (ange organets id, t.ex. RF, eller namn)", UiText.BadInput("file", csvProblems[1]));
    }

    [Fact]
    public void MeetingImport_ReadsASwedishHeader()
    {
        var organisation = Catalog.FindOrganisation("region-vasterbotten")!;
        var (meetings, problems) = MeetingFileParser.Parse("text/csv", "Organ;Datum;Rubrik\nHSN;2027-02-17;Budgetdialog\n", organisation, 2027, StockholmTime.Default);

        Assert.Empty(problems);
        var meeting = Assert.Single(meetings);
        Assert.Equal(("HSN", new DateOnly(2027, 2, 17), "Budgetdialog"), (meeting.BodyId, meeting.Date, meeting.Title));
    }

    [Fact]
    public void IdentityRules_AreSwedish()
    {
        var describe = new IdentityErrorDescriber();
        var english = new[]
        {
            describe.PasswordTooShort(12), describe.PasswordRequiresUniqueChars(4), describe.PasswordMismatch(),
            describe.DuplicateEmail("anna@example.se"), describe.DuplicateUserName("anna@example.se"), describe.InvalidEmail("anna@"),
            describe.PasswordRequiresDigit(), describe.PasswordRequiresLower(), describe.PasswordRequiresUpper(),
            describe.PasswordRequiresNonAlphanumeric(), describe.ConcurrencyFailure(),
        }.Select(e => e.Description).ToList();

        var swedish = english.Select(e => UiText.IdentityProblem(e)).ToList();

        Assert.Equal("Lösenordet måste ha minst 12 tecken.", swedish[0]);
        Assert.Equal("Lösenordet måste innehålla minst 4 olika tecken.", swedish[1]);
        Assert.Equal("Det nuvarande lösenordet är fel.", swedish[2]);
        Assert.Equal("E-postadressen anna@example.se används redan av ett annat konto.", swedish[3]);
        // The header problem names the accepted English column names (body, date) on purpose.
        Assert.All(swedish.Where(s => !s.Contains("rubrikraden", StringComparison.Ordinal)), s => Assert.DoesNotMatch(English, s));
        // Two rules broken at once (UserAdministration joins them with a space) and the admin's 400 as the page shows it.
        Assert.Equal(
            "Lösenordet måste ha minst 12 tecken. Lösenordet måste innehålla minst 4 olika tecken.",
            UiText.BadInput("password", english[0] + " " + english[1]));
    }
}
