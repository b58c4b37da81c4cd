using System.Globalization;
using System.Text;

namespace AnnualCycle.Arshjul.Geometry;

/// <summary>
/// Angles and shapes of the wheel. Angles are degrees clockwise from the top (12 o'clock): 1 January 00:00 is 0°,
/// and a day takes 360/365 or 360/366 degrees, so a leap year is spread over the same circle.
/// </summary>
public static class WheelGeometry
{
    /// <summary>The angle at the start (00:00) of <paramref name="date"/> on the wheel of <paramref name="year"/>.
    /// Dates outside the year give angles below 0 or above 360 (callers clip first).</summary>
    public static double DayStartAngle(DateOnly date, int year)
    {
        var days = DateTime.IsLeapYear(year) ? 366 : 365;
        var offset = date.DayNumber - new DateOnly(year, 1, 1).DayNumber;
        return 360.0 * offset / days;
    }

    /// <summary>The angle at the end (24:00) of <paramref name="date"/>: where an arc due that day ends.</summary>
    public static double DayEndAngle(DateOnly date, int year) => DayStartAngle(date.AddDays(1), year);

    /// <summary>The angle at noon of <paramref name="date"/>: where today's needle and a meeting's diamond sit.</summary>
    public static double NoonAngle(DateOnly date, int year) =>
        (DayStartAngle(date, year) + DayEndAngle(date, year)) / 2;

    /// <summary>A point at <paramref name="radius"/> from <paramref name="centre"/> at <paramref name="angle"/>
    /// degrees clockwise from the top, in SVG coordinates (y grows downwards).</summary>
    public static Point PointAt(Point centre, double radius, double angle)
    {
        var rad = angle * Math.PI / 180.0;
        return new Point(centre.X + radius * Math.Sin(rad), centre.Y - radius * Math.Cos(rad));
    }

    /// <summary>
    /// SVG path data of an annular sector (a ring piece) from <paramref name="start"/> to <paramref name="end"/>.
    /// A clipped end becomes an arrow tip pointing out of the year so the eye reads "continues".
    /// </summary>
    public static string AnnularSector(
        Point centre, double inner, double outer, double start, double end,
        bool arrowAtStart = false, bool arrowAtEnd = false)
    {
        var mid = (inner + outer) / 2;
        // The tip's depth in degrees: about as long as the ring is thick, so it looks the same on every ring.
        var tip = Math.Min(3.0, (outer - inner) * 0.6 / Math.Max(mid, 1) * 180 / Math.PI);
        var path = new PathBuilder();
        path.MoveTo(PointAt(centre, outer, start));
        path.ArcTo(centre, outer, start, end, clockwise: true);
        if (arrowAtEnd)
        {
            path.LineTo(PointAt(centre, mid, end + tip));
        }

        path.LineTo(PointAt(centre, inner, end));
        path.ArcTo(centre, inner, end, start, clockwise: false);
        if (arrowAtStart)
        {
            path.LineTo(PointAt(centre, mid, start - tip));
        }

        return path.Close().ToString();
    }

    /// <summary>SVG path data of a circle arc at <paramref name="radius"/>, for text on a path. Drawn clockwise, or
    /// anticlockwise (from <paramref name="end"/> to <paramref name="start"/>) so text on the lower half stays upright.</summary>
    public static string ArcLine(Point centre, double radius, double start, double end, bool clockwise)
    {
        var path = new PathBuilder();
        var (from, to) = clockwise ? (start, end) : (end, start);
        path.MoveTo(PointAt(centre, radius, from));
        path.ArcTo(centre, radius, from, to, clockwise);
        return path.ToString();
    }

    /// <summary>SVG path data of a full circle ring (two half arcs per circle, with an even-odd hole).</summary>
    public static string Ring(Point centre, double inner, double outer)
    {
        var path = new PathBuilder();
        foreach (var r in new[] { outer, inner })
        {
            if (r <= 0)
            {
                continue;
            }

            path.MoveTo(PointAt(centre, r, 0));
            path.ArcTo(centre, r, 0, 360, clockwise: true);
            path.Close();
        }

        return path.ToString();
    }

    /// <summary>SVG path data of a diamond (a square on its corner) centred at <paramref name="at"/>.</summary>
    public static string Diamond(Point at, double half) =>
        new PathBuilder()
            .MoveTo(new Point(at.X, at.Y - half)).LineTo(new Point(at.X + half, at.Y))
            .LineTo(new Point(at.X, at.Y + half)).LineTo(new Point(at.X - half, at.Y))
            .Close().ToString();

    /// <summary>SVG path data of an axis-aligned rectangle.</summary>
    public static string Rectangle(double x, double y, double width, double height) =>
        new PathBuilder()
            .MoveTo(new Point(x, y)).LineTo(new Point(x + width, y))
            .LineTo(new Point(x + width, y + height)).LineTo(new Point(x, y + height))
            .Close().ToString();

    /// <summary>SVG path data of a straight line.</summary>
    public static string Line(Point from, Point to) => new PathBuilder().MoveTo(from).LineTo(to).ToString();
}

/// <summary>A point in the drawing's coordinates (SVG user units: y grows downwards).</summary>
public readonly record struct Point(double X, double Y);

/// <summary>Builds SVG path data with invariant numbers. Arcs are split into pieces of at most 90° so that a
/// whole circle, and every SVG or Skia parser, draws them the same way.</summary>
internal sealed class PathBuilder
{
    private readonly StringBuilder _text = new();

    public PathBuilder MoveTo(Point p) => Append('M', p);

    public PathBuilder LineTo(Point p) => Append('L', p);

    public PathBuilder ArcTo(Point centre, double radius, double from, double to, bool clockwise)
    {
        var sweep = clockwise ? to - from : from - to;
        if (sweep <= 0)
        {
            return this;
        }

        var pieces = (int)Math.Ceiling(sweep / 90.0);
        for (var i = 1; i <= pieces; i++)
        {
            var angle = clockwise ? from + sweep * i / pieces : from - sweep * i / pieces;
            var p = WheelGeometry.PointAt(centre, radius, angle);
            _text.Append('A').Append(N(radius)).Append(' ').Append(N(radius)).Append(" 0 0 ")
                .Append(clockwise ? '1' : '0').Append(' ').Append(N(p.X)).Append(' ').Append(N(p.Y));
        }

        return this;
    }

    public PathBuilder Close()
    {
        _text.Append('Z');
        return this;
    }

    public override string ToString() => _text.ToString();

    private PathBuilder Append(char command, Point p)
    {
        _text.Append(command).Append(N(p.X)).Append(' ').Append(N(p.Y));
        return this;
    }

    internal static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
