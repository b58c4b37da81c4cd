using System.Globalization;
using System.Text;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Reports;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Runtime.Cycles;
using MiniExcelLibs;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Reports;

/// <summary>A cycle's calendar, status per nämnd and journal for Stratsys, the budget system and Excel.</summary>
public sealed class CycleExportTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();

    [Fact]
    public async Task Calendar_AsCsv_IsUtf8WithBom_Semicolons_SwedishHeaders_AndTheStratsysLink()
    {
        await using var h = await CreateHarnessAsync();
        var cycle = await StartedWithOneStepDoneAsync(h);

        var table = await ExportAsync(h, cycle, CycleReport.Calendar);
        var bytes = table.ToCsv();

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Nyckel;Steg;Organ-id;Organ;Fas;Typ;Öppnar;Sista dag;Status;Försenad;Lagstadgad;Klar;Underlag (länk)", lines[0]);
        Assert.Equal("forutsattningar;forutsattningar;ES;Ekonomistaben;planering;Uppgift;2026-03-02;2026-04-15;Klar;nej;nej;2026-03-10;https://docs.test/forutsattningar", lines[1]);
        Assert.Equal(12, lines.Length); // header, ten steps, and the empty string after the last CRLF
        Assert.Equal("kalender-region-test-2027.csv", table.FileName(ExportFormat.Csv));
    }

    [Fact]
    public async Task Status_PerNamnd_AsXlsx_ReadsBackWithTheSameNumbers()
    {
        await using var h = await CreateHarnessAsync();
        var cycle = await StartedWithOneStepDoneAsync(h);

        var table = await ExportAsync(h, cycle, CycleReport.Status);
        using var xlsx = new MemoryStream(table.ToXlsx());
        var rows = xlsx.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal(["ES", "HSN", "RS", "RUN"], rows.Select(r => (string?)r["Organ-id"]));
        var es = rows[0];
        Assert.Equal("Ekonomistaben", es["Organ"]);
        Assert.Equal(1, Convert.ToInt32(es["Klara"], CultureInfo.InvariantCulture));
        var hsn = rows[1];
        Assert.Equal(4, Convert.ToInt32(hsn["Steg"], CultureInfo.InvariantCulture));
        Assert.Equal(4, Convert.ToInt32(hsn["Planerade"], CultureInfo.InvariantCulture)); // återkoppling opens on 20 April
        Assert.Equal("aterkoppling/HSN", hsn["Nästa steg"]);
    }

    [Fact]
    public async Task Journal_NamesPeopleAndLocalTimes_AndNeutralisesFormulas()
    {
        await using var h = await CreateHarnessAsync();
        var cycle = await StartedWithOneStepDoneAsync(h);

        var table = await ExportAsync(h, cycle, CycleReport.Journal);
        var csv = Encoding.UTF8.GetString(table.ToCsv());

        Assert.StartsWith("\uFEFFNr;Tid (svensk tid);Vem;För (som ersättare);Händelse;Vad;Från;Till;Kommentar;Kontrollsumma\r\n", csv, StringComparison.Ordinal);
        // Submitted at 09:00 UTC on 10 March: 10:00 in Stockholm; the submitter by name.
        Assert.Contains($";2026-03-10 10:00;{EsContributor};;Submitted;forutsattningar;Opened;Submitted;\"'=HYPERLINK(\"\"x\"\")\";", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exports_AreForTheProcessOwnersOfTheCyclesOrganisation()
    {
        await using var h = await CreateHarnessAsync();
        var cycle = await StartedWithOneStepDoneAsync(h);
        var contributor = await h.ActorAsync(HsnContributor);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<CycleExportQuery, ExportTable>(x => x.HandleAsync(contributor, cycle.Id, CycleReport.Calendar)));
        Assert.Equal("report", Assert.Throws<InputException>(() => CycleExportQuery.ParseReport("allt")).Field);
        Assert.Equal("format", Assert.Throws<InputException>(() => ExportTable.ParseFormat("pdf")).Field);
    }

    /// <summary>Cycle 2027 started on 1 March 2026; ekonomistaben submits förutsättningar on 10 March with a formula as comment.</summary>
    private static async Task<CycleSummaryDto> StartedWithOneStepDoneAsync(EngineHarness h)
    {
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var cycle = await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 7, 0, 1, TimeSpan.Zero));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "forutsattningar");
        var actor = await h.ActorAsync(EsContributor);
        await h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(actor, new SubmitStepCommand(step.Id, "https://docs.test/forutsattningar", "=HYPERLINK(\"x\")")));
        return cycle;
    }

    private static async Task<ExportTable> ExportAsync(EngineHarness h, CycleSummaryDto cycle, CycleReport report)
    {
        var po = await h.ActorAsync(ProcessOwner);
        return await h.HandleAsync<CycleExportQuery, ExportTable>(x => x.HandleAsync(po, cycle.Id, report));
    }
}
