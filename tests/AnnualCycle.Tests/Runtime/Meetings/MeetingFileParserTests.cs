using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Meetings;

namespace AnnualCycle.Tests.Runtime.Meetings;

/// <summary>The importer reads Swedish and English CSV headers and says what is wrong in Swedish, with line and column.</summary>
public sealed class MeetingFileParserTests
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(AnnualCycle.Tests.Domain.Definitions.WorkflowsCopy.ShippedFolder, StockholmTime.Default);

    private static AnnualCycle.Domain.Organisations.Organisation Vasterbotten => Catalog.FindOrganisation("region-vasterbotten")!;

    [Theory]
    [InlineData("organ;datum;rubrik\nRF;2027-03-15;Extra\n")]
    [InlineData("Organ,Datum\nRegionfullmäktige,2027-03-15\n")]
    [InlineData("body,date,title\nRF,2027-03-15,Extra\n")]
    [InlineData("datum;organ\n2027-03-15;rf\n")]
    public void Csv_AcceptsTheSwedishAndTheEnglishHeader(string csv)
    {
        var (meetings, problems) = MeetingFileParser.ParseCsv(csv, Vasterbotten, 2027);

        Assert.Empty(problems);
        var meeting = Assert.Single(meetings);
        Assert.Equal(("RF", new DateOnly(2027, 3, 15)), (meeting.BodyId, meeting.Date));
    }

    [Fact]
    public void Csv_NamesEveryProblemInSwedish_WithLineAndColumn()
    {
        var (meetings, problems) = MeetingFileParser.ParseCsv("organ;datum;rubrik\nRF;2027-02-30;Fel datum\nXX;2027-04-01;Okänt organ\nRF;2028-01-10;Fel år\nRF\n", Vasterbotten, 2027);

        Assert.Empty(meetings);
        Assert.Equal(
            [
                "rad 2:4: '2027-02-30' är inget datum (åååå-mm-dd)",
                "rad 3:1: okänt organ 'XX' i organisationen (ange organets id, t.ex. RF, eller namn)",
                "rad 4:4: 2028-01-10 ligger utanför 2027",
                "rad 5:1: 3 fält åtskilda med ';' väntades, raden har 1",
            ],
            problems);
    }

    [Theory]
    [InlineData("", "rad 1:1: filen är tom")]
    [InlineData("namn;dag\nRF;2027-03-15\n", "rad 1:1: rubrikraden ska ha kolumnerna organ och datum")]
    [InlineData("organ;datum\n", "rad 2:1: filen har inga sammanträden")]
    public void Csv_WithoutMeetings_IsRefusedInSwedish(string csv, string problem)
    {
        var (_, problems) = MeetingFileParser.ParseCsv(csv, Vasterbotten, 2027);

        Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ICalendar_NamesABadEventByUidAndLine_InSwedish()
    {
        const string ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@test\r\nDTSTART;VALUE=DATE:20270230\r\nCATEGORIES:Ingen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var (_, problems) = MeetingFileParser.ParseICalendar(ics, Vasterbotten, 2027, StockholmTime.Default);

        Assert.Equal(
            [
                "VEVENT x@test på rad 2, rad 5: CATEGORIES 'Ingen' anger inget organ i organisationen",
                "VEVENT x@test på rad 2, rad 4: DTSTART '20270230' är inget datum (ååååmmdd eller ååååmmddTttmmss)",
            ],
            problems);
    }
}
