using AnnualCycle.Web.Ui;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>The dashboard matrix's marks: late splits into "the body can act" and "blocked by something else".</summary>
public sealed class MatrixMarkTests
{
    [Theory]
    [InlineData("Opened", true, MatrixMark.LateActionable)]
    [InlineData("Returned", true, MatrixMark.LateActionable)]
    [InlineData("Planned", true, MatrixMark.LateBlocked)]
    [InlineData("Submitted", true, MatrixMark.LateBlocked)]
    [InlineData("Planned", false, MatrixMark.Waiting)]
    [InlineData("Submitted", false, MatrixMark.Waiting)]
    [InlineData("Opened", false, MatrixMark.Open)]
    [InlineData("Returned", false, MatrixMark.Returned)]
    [InlineData("Completed", false, MatrixMark.Done)]
    [InlineData("Skipped", false, MatrixMark.Done)]
    [InlineData("Cancelled", false, MatrixMark.Done)]
    public void Of_GivesEachStateAndLatenessItsMark(string state, bool overdue, string expected) =>
        Assert.Equal(expected, MatrixMark.Of(state, overdue));

    [Fact]
    public void EveryMark_HasSwedishWords_OfItsOwn()
    {
        var names = MatrixMark.All.Select(UiText.MarkName).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(MatrixMark.All, mark => Assert.NotEqual(mark, UiText.MarkName(mark)));
    }
}
