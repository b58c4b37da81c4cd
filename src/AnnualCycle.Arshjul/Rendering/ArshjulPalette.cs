using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>How a state looks: fill, outline, and the colour of the sign written on it
/// (<see cref="ArshjulTexts.Symbol"/>), so colour is never the only cue.</summary>
/// <param name="Dash">SVG dash array of the outline, or null for a solid one.</param>
public sealed record StateStyle(string Fill, string Stroke, string TextColour, string? Dash);

/// <summary>
/// Colours from the Okabe–Ito palette, which stays distinguishable with the common colour-vision deficiencies and
/// prints readably in grey. Every state also has a sign (letter or symbol) in the legend and on arcs wide enough;
/// an overdue arc is also dashed and hatched.
/// </summary>
public static class ArshjulPalette
{
    public const string Ink = "#1F2933";
    public const string MutedInk = "#52606D";
    public const string Rule = "#9AA5B1";
    public const string MonthShade = "#F2F4F7";
    public const string MonthPlain = "#FFFFFF";
    public const string RingBackground = "#FAFBFC";
    public const string MeetingFill = "#1F2933";
    public const string Needle = "#B0003A";
    public const string OverdueFill = "#D55E00";
    public const string OverdueStroke = "#000000";

    public static StateStyle For(StepState state) => state switch
    {
        StepState.Planned => new("#E4E7EB", "#7B8794", Ink, null),
        StepState.Opened => new("#56B4E9", "#1B6E9C", Ink, null),
        StepState.Submitted => new("#0072B2", "#004A75", "#FFFFFF", null),
        StepState.Returned => new("#E69F00", "#9C6B00", Ink, null),
        StepState.Completed => new("#009E73", "#00664A", "#FFFFFF", null),
        StepState.Skipped => new("#FFFFFF", "#7B8794", MutedInk, "2 2"),
        StepState.Cancelled => new("#F5F7FA", "#9AA5B1", MutedInk, "1 3"),
        _ => new("#E4E7EB", "#7B8794", Ink, null),
    };

    /// <summary>An overdue step keeps its state's sign but turns vermillion with a dashed black outline and hatching.</summary>
    public static StateStyle ForArc(ArshjulArc arc) => arc.Overdue
        ? For(arc.State) with { Fill = OverdueFill, Stroke = OverdueStroke, TextColour = "#FFFFFF", Dash = "4 2" }
        : For(arc.State);

}
