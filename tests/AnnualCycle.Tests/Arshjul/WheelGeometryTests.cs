using AnnualCycle.Arshjul.Geometry;

namespace AnnualCycle.Tests.Arshjul;

public class WheelGeometryTests
{
    [Fact]
    public void DayStartAngle_IsZero_OnFirstOfJanuary()
    {
        Assert.Equal(0, WheelGeometry.DayStartAngle(new DateOnly(2026, 1, 1), 2026), 9);
    }

    [Fact]
    public void DayStartAngle_OfFirstOfJuly_IsDaysElapsedOver365_InACommonYear()
    {
        // 1 July 2026 is day 182: 181 whole days have passed, 360 × 181 / 365 = 178.52…°, just before the bottom.
        Assert.Equal(360.0 * 181 / 365, WheelGeometry.DayStartAngle(new DateOnly(2026, 7, 1), 2026), 9);
        Assert.InRange(WheelGeometry.DayStartAngle(new DateOnly(2026, 7, 1), 2026), 178.5, 178.6);
    }

    [Fact]
    public void DayStartAngle_OfFirstOfJuly_CountsTheLeapDay_InALeapYear()
    {
        // 2028: 29 February pushes 1 July to day 183 of 366: 360 × 182 / 366 = 179.016…°.
        Assert.Equal(360.0 * 182 / 366, WheelGeometry.DayStartAngle(new DateOnly(2028, 7, 1), 2028), 9);
        Assert.Equal(360.0 * 59 / 366, WheelGeometry.DayStartAngle(new DateOnly(2028, 2, 29), 2028), 9);
        Assert.Equal(360.0 * 60 / 366, WheelGeometry.DayStartAngle(new DateOnly(2028, 3, 1), 2028), 9);
    }

    [Fact]
    public void DayEndAngle_OfNewYearsEve_ClosesTheCircle_InBothKindsOfYear()
    {
        Assert.Equal(360, WheelGeometry.DayEndAngle(new DateOnly(2026, 12, 31), 2026), 9);
        Assert.Equal(360, WheelGeometry.DayEndAngle(new DateOnly(2028, 12, 31), 2028), 9);
    }

    [Fact]
    public void NoonAngle_IsHalfADayAfterTheStart()
    {
        var date = new DateOnly(2026, 11, 23);
        Assert.Equal(WheelGeometry.DayStartAngle(date, 2026) + 180.0 / 365, WheelGeometry.NoonAngle(date, 2026), 9);
    }

    [Theory]
    [InlineData(0, 500, 100)]
    [InlineData(90, 900, 500)]
    [InlineData(180, 500, 900)]
    [InlineData(270, 100, 500)]
    public void PointAt_GoesClockwiseFromTheTop(double angle, double x, double y)
    {
        var p = WheelGeometry.PointAt(new Point(500, 500), 400, angle);
        Assert.Equal(x, p.X, 6);
        Assert.Equal(y, p.Y, 6);
    }

    [Fact]
    public void AnnularSector_OfAWholeYear_IsSplitIntoArcsOfAtMostNinetyDegrees()
    {
        var data = WheelGeometry.AnnularSector(new Point(500, 500), 300, 320, 0, 360);
        // 4 pieces on the outer edge and 4 on the inner edge: a single SVG arc cannot draw a full circle.
        Assert.Equal(8, data.Count(c => c == 'A'));
        Assert.StartsWith("M500 180", data);
    }
}
