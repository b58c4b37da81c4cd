namespace AnnualCycle.Web.Ui;

/// <summary>Texts of starting a cycle late, the lead-time page and the exports.</summary>
public static partial class UiText
{
    // Starting late
    public static string PassedStepsTitle(int count) => T($"Steg vars sista dag redan har passerat ({count})", $"Steps whose deadline has already passed ({count})");
    public static string PassedStepsIntro => T(
        "Cykeln startas efter att de här stegens sista dag har passerat. Bestäm vad som ska hända med dem innan du startar: ett beslut för alla, eller per steg.",
        "The cycle starts after these steps' deadlines have passed. Decide what happens to them before you start: one decision for all, or per step.");
    public static string DecisionForAll => T("Beslut för alla", "Decision for all");
    public static string DecisionAsForAll => T("Som för alla", "As for all");
    public static string DecisionOpen => T("Öppna ändå (försenade)", "Open anyway (overdue)");
    public static string DecisionDone => T("Markera som klara", "Mark as done");
    public static string DecisionSkip => T("Hoppa över", "Skip");
    public static string DecisionMove => T("Flytta till ny sista dag", "Move to a new deadline");
    public static string DecisionName(string decision) => decision switch
    {
        "done" => DecisionDone,
        "skip" => DecisionSkip,
        "move" => DecisionMove,
        _ => DecisionOpen,
    };
    public static string LateReason => T("Anledning (krävs för att hoppa över)", "Reason (required to skip)");
    public static string PassedDue => T("Sista dag var", "Deadline was");

    // The start page's preview: the version a budget year gets and the election year
    public static string PreviewVersion(int version, string? appliesTo) => appliesTo is null
        ? T($"Version {version} av definitionen", $"Version {version} of the definition")
        : T($"Version {version} av definitionen, för budgetår {appliesTo}", $"Version {version} of the definition, for budget years {appliesTo}");
    public static string ElectionYear(int year, string electionDay, string newAssemblyFrom) => T(
        $"Valår {year}: allmänna val {electionDay}, nyvalda fullmäktige från {newAssemblyFrom}.",
        $"Election year {year}: general elections on {electionDay}, the newly elected fullmäktige from {newAssemblyFrom}.");
    public static string ElectionHandling => T("Valårshantering", "Election-year handling");
    public static string NoElectionHandling => T("Definitionen har ingen särskild hantering av valår.", "The definition has no election-year handling.");
    public static string ElectionStepMark => T("Valår: steget läggs till eller ändras", "Election year: the step is added or changed");

    // Lead times (ledtider)
    public static string LeadTimes => T("Ledtider", "Lead times");
    public static string LeadTimesIntro => T(
        "Per steg och organ: ledtiden från att steget öppnades till att det blev klart, och hur många dagar efter sista dagen det blev klart, budgetår för budgetår. Bara steg som öppnades och blev klara i Årshjulet räknas.",
        "Per step and body: the lead time from when the step opened to when it was completed, and how many days after its deadline it was completed, budget year by budget year. Only steps opened and completed in the service count.");
    public static string NoLeadTimes => T("Inga klara steg ännu.", "No completed steps yet.");
    public static string LeadTimeChange => T("Förändring mot föregående år", "Change from the year before");
    public static string DownloadXlsx => T("Ladda ner (Excel)", "Download (Excel)");
    public static string DownloadCsv => T("Ladda ner (CSV)", "Download (CSV)");
    public static string Days(double days, bool signed = false)
    {
        var text = Math.Abs(days).ToString("0.#", English ? System.Globalization.CultureInfo.InvariantCulture : new System.Globalization.NumberFormatInfo { NumberDecimalSeparator = "," });
        var sign = !signed || days == 0 ? "" : days < 0 ? "−" : "+";
        return T($"{sign}{text} dagar", $"{sign}{text} days");
    }
    public static string LeadTimeCell(double leadDays, int late, double daysLate) => late == 0
        ? Days(leadDays)
        : T($"{Days(leadDays)} ({late} sent, i snitt {Days(daysLate)})", $"{Days(leadDays)} ({late} late, on average {Days(daysLate)})");
    public static string ExportCalendar => T("Kalender", "Calendar");
    public static string ExportStatus => T("Status per organ", "Status per body");
    public static string ExportJournal => T("Händelselogg", "Journal");
    public static string Export => T("Exportera", "Export");
}
