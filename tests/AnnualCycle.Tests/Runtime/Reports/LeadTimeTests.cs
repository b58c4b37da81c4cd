using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Reports;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Reports;

/// <summary>
/// Two years of the test cycle: in cycle 2027 ekonomistaben delivers förutsättningar 39 days after it opened and the
/// kick-off is confirmed two days after its date; in cycle 2028 förutsättningar takes 18 days and the kick-off is on time.
/// </summary>
public sealed class LeadTimeTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();

    [Fact]
    public async Task LeadTimes_PerStepAndBody_ComparedYearOverYear()
    {
        await using var h = await CreateHarnessAsync();
        await TwoYearsAsync(h);
        var po = await h.ActorAsync(ProcessOwner);

        var report = await h.HandleAsync<LeadTimeQuery, LeadTimeReport>(x => x.HandleAsync(po, FakeCyclePlanner.OrganisationId));

        Assert.Equal([2027, 2028], report.Years);
        var forutsattningar = Assert.Single(report.Rows, r => r.StepId == "forutsattningar");
        Assert.Equal(("ES", "Ekonomistaben"), (forutsattningar.BodyId, forutsattningar.BodyName));
        // Opened 08:00 on 2 March (07:00 UTC), completed 09:00 summer time on 10 April 2026 (07:00 UTC): 39 days.
        Assert.Equal([(2027, 1, 39.0, 0, 0.0), (2028, 1, 18.0, 0, 0.0)], forutsattningar.Years.Select(c => (c.Year, c.Completed, c.LeadDays, c.Late, c.DaysLate)));
        Assert.Equal(-21.0, forutsattningar.Change);

        var kickoff = Assert.Single(report.Rows, r => r.StepId == "kickoff");
        Assert.Equal([(2027, 1, 2.0), (2028, 0, 0.0)], kickoff.Years.Select(c => (c.Year, c.Late, c.DaysLate)));
        // Rows follow the process: förutsättningar (due in April) before the kick-off (May).
        Assert.True(report.Rows.ToList().IndexOf(forutsattningar) < report.Rows.ToList().IndexOf(kickoff));
    }

    [Fact]
    public async Task LeadTimes_ExportToCsvAndXlsx_WithTheSameRows()
    {
        await using var h = await CreateHarnessAsync();
        await TwoYearsAsync(h);
        var po = await h.ActorAsync(ProcessOwner);
        var table = (await h.HandleAsync<LeadTimeQuery, LeadTimeReport>(x => x.HandleAsync(po, FakeCyclePlanner.OrganisationId))).ToTable();

        var csv = System.Text.Encoding.UTF8.GetString(table.ToCsv());
        Assert.StartsWith("\uFEFFDefinition;Steg-id;Steg;Organ-id;Organ;Budgetår;Klara;Ledtid (dagar, medel);Klara efter sista dag;Dagar sent (medel);Förändring mot föregående år (dagar)\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("test-cycle;forutsattningar;forutsattningar;ES;Ekonomistaben;2027;1;39;0;0;\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("test-cycle;forutsattningar;forutsattningar;ES;Ekonomistaben;2028;1;18;0;0;-21\r\n", csv, StringComparison.Ordinal);

        using var xlsx = new MemoryStream(table.ToXlsx());
        var rows = xlsx.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(table.Rows.Count, rows.Count);
        var last = rows.Single(r => (string?)r["Steg-id"] == "forutsattningar" && Convert.ToInt32(r["Budgetår"], System.Globalization.CultureInfo.InvariantCulture) == 2028);
        Assert.Equal(18.0, Convert.ToDouble(last["Ledtid (dagar, medel)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-21.0, Convert.ToDouble(last["Förändring mot föregående år (dagar)"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LeadTimes_AreForProcessOwners_NotVisibleOutsideTheOrganisation()
    {
        await using var h = await CreateHarnessAsync();
        var contributor = await h.ActorAsync(EsContributor);
        var po = await h.ActorAsync(ProcessOwner);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<LeadTimeQuery, LeadTimeReport>(x => x.HandleAsync(contributor, FakeCyclePlanner.OrganisationId)));
        await Assert.ThrowsAsync<NotFoundException>(() => h.HandleAsync<LeadTimeQuery, LeadTimeReport>(x => x.HandleAsync(po, "region-annan")));
    }

    /// <summary>Cycle 2027 from 1 March 2026 and cycle 2028 from 1 March 2027, each with förutsättningar and the kick-off done.</summary>
    private static async Task TwoYearsAsync(EngineHarness h)
    {
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await StartAsync(h, 2027);
        await DoAsync(h, 2027, "forutsattningar", new DateTimeOffset(2026, 4, 10, 7, 0, 0, TimeSpan.Zero));
        // The kick-off's date is 12 May 2026; it is confirmed on 14 May.
        await DoAsync(h, 2027, "kickoff", new DateTimeOffset(2026, 5, 14, 10, 0, 0, TimeSpan.Zero));

        await AdvanceToAsync(h, new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await StartAsync(h, 2028);
        await DoAsync(h, 2028, "forutsattningar", new DateTimeOffset(2027, 3, 20, 7, 0, 0, TimeSpan.Zero));
        await DoAsync(h, 2028, "kickoff", new DateTimeOffset(2027, 5, 12, 10, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Lets the step open at its time (its timer fires), then does it at <paramref name="at"/>.</summary>
    private static async Task DoAsync(EngineHarness h, int year, string key, DateTimeOffset at)
    {
        var planned = await FindAsync(h, year, key);
        await AdvanceToAsync(h, new DateTimeOffset(planned.OpensAtUtc, TimeSpan.Zero).AddSeconds(1));
        await AdvanceToAsync(h, at);
        var step = await FindAsync(h, year, key);
        Assert.Equal(StepState.Opened, step.State);
        await CompleteAsync(h, step);
    }

    private static Task<StepInstanceEntity> FindAsync(EngineHarness h, int year, string key) =>
        h.DbAsync(db => db.StepInstances.AsNoTracking().SingleAsync(s => s.Key == key && db.Cycles.Any(c => c.Id == s.CycleId && c.Year == year)));
}
