using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>The words on the wheel, Swedish first, English when the model asks for it. Dates are formatted here, not
/// by the process culture, so a server with another locale draws the same wheel.</summary>
public sealed class ArshjulTexts
{
    private static readonly string[] MonthsSv =
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    private static readonly string[] MonthsEn =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static readonly ArshjulTexts Swedish = new(english: false);

    public static readonly ArshjulTexts English = new(english: true);

    private readonly bool _english;

    private ArshjulTexts(bool english) => _english = english;

    public static ArshjulTexts For(ArshjulModel model) => model.IsEnglish ? English : Swedish;

    public string MonthName(int month) => (_english ? MonthsEn : MonthsSv)[month - 1];

    /// <summary>"16 maj 2026" (Swedish long date) or "16 May 2026".</summary>
    public string Date(DateOnly date) => $"{date.Day} {MonthName(date.Month)} {date.Year}";

    /// <summary>"16 maj" without the year, for the needle's label.</summary>
    public string DayMonth(DateOnly date) => $"{date.Day} {MonthName(date.Month)}";

    public string State(StepState state) => (_english, state) switch
    {
        (false, StepState.Planned) => "planerad",
        (false, StepState.Opened) => "öppen",
        (false, StepState.Submitted) => "inlämnad",
        (false, StepState.Returned) => "returnerad",
        (false, StepState.Completed) => "klar",
        (false, StepState.Skipped) => "hoppad över",
        (false, StepState.Cancelled) => "avbruten",
        (true, StepState.Planned) => "planned",
        (true, StepState.Opened) => "open",
        (true, StepState.Submitted) => "submitted",
        (true, StepState.Returned) => "returned",
        (true, StepState.Completed) => "completed",
        (true, StepState.Skipped) => "skipped",
        (true, StepState.Cancelled) => "cancelled",
        _ => state.ToString(),
    };

    /// <summary>The sign written on an arc and in the legend: the state's initial in the language, or a symbol.</summary>
    public string Symbol(StepState state) => (_english, state) switch
    {
        (_, StepState.Planned) => "P",
        (false, StepState.Opened) => "Ö",
        (true, StepState.Opened) => "O",
        (false, StepState.Submitted) => "I",
        (true, StepState.Submitted) => "S",
        (_, StepState.Returned) => "R",
        (_, StepState.Completed) => "✓",
        (_, StepState.Skipped) => "–",
        (_, StepState.Cancelled) => "×",
        _ => "?",
    };

    /// <summary>The sign of an overdue arc, whatever its state.</summary>
    public const string OverdueSymbol = "!";

    public string Overdue => _english ? "overdue" : "försenad";

    public string Today => _english ? "Today" : "Idag";

    public string Meeting => _english ? "Meeting" : "Sammanträde";

    public string Status => _english ? "Status" : "Status";

    public string RingsHeading => _english ? "Rings (outer to inner)" : "Ringar (utifrån och in)";

    public string SymbolsHeading => _english ? "Signs" : "Tecken";

    public string Continues => _english ? "continues into another year" : "fortsätter in i ett annat år";

    public string ContinuesFrom(int year) => _english ? $"continues from {year}" : $"fortsätter från {year}";

    public string ContinuesInto(int year) => _english ? $"continues into {year}" : $"fortsätter in i {year}";

    public string OverdueHeading(int count) => _english ? $"Overdue ({count})" : $"Försenade ({count})";

    public string NoneOverdue => _english ? "No overdue steps." : "Inga försenade steg.";

    public string More(int count) => _english ? $"… and {count} more" : $"… och {count} till";

    public string Cycle(int year) => _english ? $"Cycle {year}" : $"Cykel {year}";

    public string WheelTitle(int year, string title) => _english ? $"Annual cycle {year} – {title}" : $"Årshjul {year} – {title}";

    public string HubCaption => _english ? "Annual cycle" : "Årshjul";

    public string Summary(int year, int rings, int arcs, int overdue, int meetings) => _english
        ? $"Annual cycle wheel of {year}: twelve months clockwise from January at the top, {rings} rings (one per body), {arcs} steps drawn as arcs from their open date to their due date, {overdue} of them overdue, and {meetings} meetings."
        : $"Årshjul för {year}: tolv månader medurs med januari överst, {rings} ringar (en per organ), {arcs} steg ritade som bågar från öppningsdatum till slutdatum, varav {overdue} försenade, och {meetings} sammanträden.";

    public string CycleNote(int year) => _english
        ? $"Shows follow-up of cycle {year} and planning of cycle {year + 1}."
        : $"Visar uppföljningen av cykel {year} och planeringen av cykel {year + 1}.";
}
