using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Domain.Planning.StepState;

namespace AnnualCycle.Tests.Arshjul;

/// <summary>
/// A realistic wheel of Region Västerbotten for the drawing tests (test data, not part of the product): the calendar year shows the
/// årsredovisning of the previous cycle, the follow-up of this year's and the planning of next year's, as in seed 000.
/// States are what they would be on <c>today</c> = 23 November of the year; overdue is derived from the date given.
/// </summary>
public static class ArshjulDemo
{
    private static readonly string[] Committees = ["HSN", "RUN", "FHS", "PN"];

    public static IReadOnlyList<ArshjulRing> Rings { get; } =
    [
        new("RF", "Regionfullmäktige", 0),
        new("RS", "Regionstyrelsen", 1),
        new("HSN", "Hälso- och sjukvårdsnämnden", 2),
        new("RUN", "Regionala utvecklingsnämnden", 3),
        new("FHS", "Folkhögskolestyrelsen", 4),
        new("PN", "Patientnämnden", 5),
    ];

    public static ArshjulModel Vasterbotten(int year = 2026, DateOnly? today = null, string language = "sv")
    {
        var now = today ?? new DateOnly(year, 11, 23);
        var arcs = new List<ArshjulArc>();

        void Add(string key, string title, string body, int cycle, (int M, int D) opens, (int M, int D) due, StepState state,
            int opensYear = 0, int dueYear = 0)
        {
            var open = new DateOnly(year + opensYear, opens.M, opens.D);
            var end = new DateOnly(year + dueYear, due.M, due.D);
            var done = state is Completed or Skipped or Cancelled;
            arcs.Add(new ArshjulArc(key, title, body, cycle, open, end, state, Overdue: !done && end < now,
                $"/cycles/{cycle}/steps/{Uri.EscapeDataString(key)}"));
        }

        // Cycle year-1: its årsredovisning is decided in spring; its verksamhetsplaner ran over the turn of the year.
        Add("arsredovisning/RS", $"Årsredovisning {year - 1}", "RS", year - 1, (1, 19), (3, 31), Completed);
        Add("arsredovisning/RF", $"Årsredovisning {year - 1}", "RF", year - 1, (4, 1), (4, 22), Completed);
        foreach (var body in Committees)
        {
            Add($"arsrapport/{body}", $"Årsrapport {year - 1}", body, year - 1, (1, 12), (2, 20), Completed);
            Add($"verksamhetsplaner/{body}", $"Verksamhetsplaner {year}", body, year, (10, 1), (1, 16), Completed, opensYear: -1);
        }

        // Cycle year: follow-up of this year's budget.
        (string Key, string Title, (int, int) Opens, (int, int) Due)[] monthly =
        [
            ("1", "februari", (3, 2), (3, 12)), ("2", "mars", (4, 1), (4, 13)), ("3", "maj", (6, 1), (6, 10)),
            ("4", "juni", (7, 1), (7, 10)), ("5", "september", (10, 1), (10, 12)), ("6", "oktober", (11, 2), (11, 12)),
            ("7", "november", (12, 1), (12, 10)),
        ];
        foreach (var (n, month, opens, due) in monthly)
        {
            Add($"manadsrapport#{n}/RS", $"Månadsrapport per {month}", "RS", year, opens, due, n == "7" ? Planned : Completed);
        }

        Add("delar-april/RS", "Delårsrapport per april", "RS", year, (5, 4), (5, 26), Completed);
        Add("delar-augusti/RS", "Delårsrapport per augusti", "RS", year, (9, 1), (10, 6), Completed);
        Add("delar-augusti/RF", "Delårsrapport per augusti", "RF", year, (10, 7), (10, 20), Completed);
        Add("arsredovisning-underlag/RS", $"Bokslut och årsredovisning {year}", "RS", year, (12, 14), (2, 15), Planned, dueYear: 1);
        foreach (var body in Committees)
        {
            Add($"delar-april/{body}", "Delår per april", body, year, (5, 4), (5, 19), body == "PN" ? Skipped : Completed);
            Add($"delar-augusti/{body}", "Delår per augusti", body, year, (9, 1), (9, 29), Completed);
        }

        // Cycle year+1: planning of next year's budget.
        var next = year + 1;
        Add("planeringsforutsattningar", "Planeringsförutsättningar", "RS", next, (1, 12), (5, 15), Completed);
        Add("kickoff", "Kick-off", "RS", next, (5, 19), (5, 19), Completed);
        Add("styrdialog", "Styrdialog med nämnderna", "RS", next, (9, 7), (9, 25), Completed);
        Add("regionplan-beredning", $"Regionplan {next} – beredning", "RS", next, (6, 15), (11, 3), Completed);
        Add("regionplan", $"Regionplan med budget {next}", "RF", next, (11, 4), (11, 24), Submitted);
        foreach (var body in Committees)
        {
            Add($"aterkoppling/{body}", "Återkopplingsrapport", body, next, (5, 20), (6, 12), Completed);
            Add($"verksamhetsplaner/{body}#next", $"Verksamhetsplaner {next}", body, next, (10, 1), (12, 18), Opened);
            Add($"namndplan/{body}", $"Nämndplan {next}", body, next, (11, 25), (12, 15), body == "HSN" ? Opened : Planned);
        }

        Add("investeringsbehov/RUN", "Investeringsbehov", "RUN", next, (10, 12), (11, 13), Opened);
        Add("uppdrag/PN", "Återrapportering av uppdrag", "PN", next, (10, 19), (11, 16), Returned);
        Add("remissvar/HSN", "Remissvar regionplan", "HSN", next, (10, 26), (11, 27), Completed);
        Add("fordjupad-analys/RUN", "Fördjupad analys", "RUN", year, (6, 1), (6, 26), Cancelled);

        var meetings = new List<ArshjulMark>();
        void Meet(string body, string label, params (int M, int D)[] dates) =>
            meetings.AddRange(dates.Select(d => new ArshjulMark(body, new DateOnly(year, d.M, d.D), label)));

        Meet("RF", "Regionfullmäktige", (2, 17), (4, 22), (6, 16), (10, 20), (11, 24));
        Meet("RS", "Regionstyrelsen", (2, 3), (3, 10), (4, 7), (5, 26), (6, 9), (9, 8), (10, 6), (11, 3), (12, 8));
        Meet("HSN", "Hälso- och sjukvårdsnämnden", (2, 19), (4, 16), (5, 19), (6, 11), (9, 29), (10, 29), (12, 10));
        Meet("RUN", "Regionala utvecklingsnämnden", (2, 12), (4, 23), (5, 19), (6, 12), (9, 24), (12, 11));
        Meet("FHS", "Folkhögskolestyrelsen", (2, 20), (5, 18), (9, 25), (12, 14));
        Meet("PN", "Patientnämnden", (2, 13), (5, 15), (9, 18), (12, 15));

        return new ArshjulModel(year, now.Year == year ? now : null, "Region Västerbotten", Rings, arcs, meetings, language);
    }
}
