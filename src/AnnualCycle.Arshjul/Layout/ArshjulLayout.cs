using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Arshjul.Layout;

/// <summary>Where everything goes: the rings' radii, each arc's lane and clipped angles. Pure and deterministic.</summary>
public static class ArshjulLayout
{
    /// <summary>The drawing is 1400 × 1000 user units: the wheel on the left, the legend on the right.</summary>
    public const double Width = 1400;

    public const double Height = 1000;

    public static readonly Point Centre = new(516, 500);

    /// <summary>Outer edge of the month ring (labels and shading); the rings sit inside it.</summary>
    public const double MonthOuter = 484;

    public const double RingsOuter = 440;

    /// <summary>The portrait (and phone) drawing's width: the wheel with equal margins left and right.</summary>
    public static double PortraitWidth => 2 * Centre.X;

    /// <summary>Where the landscape legend starts: a gap right of the month ring.</summary>
    public static double LegendLeft => Centre.X + MonthOuter + 40;

    /// <summary>Where the portrait legend starts: a gap below the month ring, in two columns across the page.</summary>
    public static double PortraitLegendTop => Centre.Y + MonthOuter + 26;

    public const double PortraitLegendLeft = 40;

    public const double PortraitLegendSecondColumn = 540;

    /// <summary>The white hub with the year and the title.</summary>
    public const double HubRadius = 104;

    /// <summary>A thin track at the outer edge of every ring that carries the meeting diamonds; thinner when
    /// there are many rings, so that a region with ten nämnder still leaves room for the arcs.</summary>
    public const double MeetingTrack = 13;

    private const double MinMeetingTrack = 9;
    private const double RingGap = 5;
    private const double MinRingGap = 2;
    private const double MaxLane = 30;

    /// <summary>Arcs of one ring that are closer than this (in days) go into different lanes, so their ends do not touch.</summary>
    private const int LaneGapDays = 1;

    public static WheelLayout Arrange(ArshjulModel model)
    {
        var year = model.CalendarYear;
        var rings = model.Rings
            .Select((ring, index) => (ring, index))
            .OrderBy(x => x.ring.Order).ThenBy(x => x.index)
            .Select(x => x.ring)
            .GroupBy(r => r.BodyId, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .ToList();

        var ringOrder = rings.Select((r, i) => (r.BodyId, i)).ToDictionary(x => x.BodyId, x => x.i, StringComparer.OrdinalIgnoreCase);
        var clipped = Number(model.Arcs
            .Select(a => Clip(a, year))
            .OfType<ClippedArc>()
            .Where(c => ringOrder.ContainsKey(c.Arc.BodyId)), ringOrder);

        var lanesByRing = new Dictionary<string, List<(ClippedArc Arc, int Lane)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var ring in rings)
        {
            var own = clipped.Where(c => string.Equals(c.Arc.BodyId, ring.BodyId, StringComparison.OrdinalIgnoreCase));
            lanesByRing[ring.BodyId] = AssignLanes(own);
        }

        var laneCounts = rings.Select(r => Math.Max(1, lanesByRing[r.BodyId].Select(x => x.Lane + 1).DefaultIfEmpty(1).Max())).ToList();
        var crowded = rings.Count > 7;
        var track = crowded ? MinMeetingTrack : MeetingTrack;
        var gap = crowded ? MinRingGap : RingGap;
        var available = RingsOuter - HubRadius - 8 - rings.Count * (track + gap);
        var laneHeight = rings.Count == 0 ? MaxLane : Math.Min(MaxLane, available / Math.Max(1, laneCounts.Sum()));

        var bands = new List<RingBand>();
        var arcs = new List<PlacedArc>();
        var outer = RingsOuter;
        for (var i = 0; i < rings.Count; i++)
        {
            var inner = outer - track - laneCounts[i] * laneHeight;
            var band = new RingBand(rings[i], i, outer, inner, outer - track / 2, track, laneCounts[i], laneHeight);
            bands.Add(band);
            arcs.AddRange(lanesByRing[rings[i].BodyId].Select(x => Place(x.Arc, x.Lane, band, year)));
            outer = inner - gap;
        }

        var meetings = model.Meetings
            .Where(m => m.Date.Year == year)
            .Select(m => (Mark: m, Band: bands.FirstOrDefault(b => string.Equals(b.Ring.BodyId, m.BodyId, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.Band is not null)
            .Select(x => new PlacedMeeting(x.Mark, x.Band!, WheelGeometry.NoonAngle(x.Mark.Date, year)))
            .ToList();

        double? needle = model.Today is { } today && today.Year == year ? WheelGeometry.NoonAngle(today, year) : null;
        return new WheelLayout(year, bands, arcs, meetings, needle, outer + gap);
    }

    /// <summary>
    /// Numbers the arcs 1, 2, 3 … in the order a reader meets them: by first day in the year, then from the outer ring
    /// inwards, then by step key. The number is written on the arc and heads its row in the table beside the wheel, so
    /// an arc too short for its title is still named.
    /// </summary>
    private static List<ClippedArc> Number(IEnumerable<ClippedArc> arcs, IReadOnlyDictionary<string, int> ringOrder) =>
        arcs.OrderBy(c => c.From)
            .ThenBy(c => ringOrder[c.Arc.BodyId])
            .ThenBy(c => c.Arc.StepKey, StringComparer.Ordinal)
            .Select((c, i) => c with { Number = i + 1 })
            .ToList();

    /// <summary>
    /// Clips an arc to the calendar year: an arc that opens in an earlier year starts on 1 January and one due in a
    /// later year ends on 31 December, each marked as continuing. Returns null for an arc wholly outside the year.
    /// </summary>
    public static ClippedArc? Clip(ArshjulArc arc, int year)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var opens = arc.Opens <= arc.Due ? arc.Opens : arc.Due;
        if (arc.Due < first || opens > last)
        {
            return null;
        }

        return new ClippedArc(
            arc,
            opens < first ? first : opens,
            arc.Due > last ? last : arc.Due,
            ContinuesBefore: opens < first,
            ContinuesAfter: arc.Due > last);
    }

    /// <summary>
    /// Greedy interval colouring: arcs sorted by start (longer first on a tie) take the first lane whose last arc
    /// ended at least <see cref="LaneGapDays"/> before; overlapping arcs therefore never share a lane.
    /// </summary>
    public static List<(ClippedArc Arc, int Lane)> AssignLanes(IEnumerable<ClippedArc> arcs)
    {
        var laneEnds = new List<DateOnly>();
        var result = new List<(ClippedArc, int)>();
        foreach (var arc in arcs.OrderBy(a => a.From).ThenByDescending(a => a.To).ThenBy(a => a.Arc.StepKey, StringComparer.Ordinal))
        {
            var lane = laneEnds.FindIndex(end => end.AddDays(LaneGapDays) < arc.From);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(arc.To);
            }
            else
            {
                laneEnds[lane] = arc.To;
            }

            result.Add((arc, lane));
        }

        return result;
    }

    private static PlacedArc Place(ClippedArc clipped, int lane, RingBand band, int year)
    {
        var outer = band.Outer - band.MeetingTrack - lane * band.LaneHeight - 1;
        var inner = outer - band.LaneHeight + 2;
        return new PlacedArc(
            clipped, band, lane,
            WheelGeometry.DayStartAngle(clipped.From, year),
            WheelGeometry.DayEndAngle(clipped.To, year),
            inner, outer);
    }
}

/// <summary>The whole wheel placed: rings from outer to inner, arcs, meetings and the needle's angle (null: no needle).</summary>
/// <param name="HubOuter">Radius inside which the centre label sits (just inside the innermost ring).</param>
public sealed record WheelLayout(
    int Year,
    IReadOnlyList<RingBand> Rings,
    IReadOnlyList<PlacedArc> Arcs,
    IReadOnlyList<PlacedMeeting> Meetings,
    double? NeedleAngle,
    double HubOuter);

/// <summary>One ring's band: the meeting track at its outer edge, then <see cref="LaneCount"/> lanes inwards.</summary>
public sealed record RingBand(
    ArshjulRing Ring, int Index, double Outer, double Inner, double MeetingRadius, double MeetingTrack, int LaneCount, double LaneHeight);

/// <summary>An arc clipped to the year; <see cref="From"/> and <see cref="To"/> are both included.</summary>
/// <param name="Number">Its number on the wheel and in the table (1, 2, 3 …), given by <see cref="ArshjulLayout.Arrange"/>; 0 before.</param>
public sealed record ClippedArc(ArshjulArc Arc, DateOnly From, DateOnly To, bool ContinuesBefore, bool ContinuesAfter, int Number = 0);

/// <summary>An arc with its lane (0 is the outermost lane of its ring), angles and radii.</summary>
public sealed record PlacedArc(ClippedArc Clipped, RingBand Ring, int Lane, double StartAngle, double EndAngle, double Inner, double Outer)
{
    public ArshjulArc Arc => Clipped.Arc;

    /// <summary>The arc's number on the wheel and in the table.</summary>
    public int Number => Clipped.Number;
}

public sealed record PlacedMeeting(ArshjulMark Mark, RingBand Ring, double Angle);
