using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Deliverables;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Runtime.Cycles;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Deliverables;

/// <summary>A step's deliverable kept in Stratsys or the budget system, given as its address.</summary>
public sealed class DeliverableLinkTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();

    [Theory]
    [InlineData("https://regionvasterbotten.stratsys.se/plan/namndplan-hsn-2027", "https://regionvasterbotten.stratsys.se/plan/namndplan-hsn-2027")]
    [InlineData("  http://budget.rvn.local/rapport?ar=2027&org=HSN ", "http://budget.rvn.local/rapport?ar=2027&org=HSN")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Validate_TakesAnHttpOrHttpsAddress(string? given, string? kept) =>
        Assert.Equal(kept, DeliverableLink.Validate(given));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("stratsys.se/plan/1")]
    [InlineData("ftp://budget.local/r.xlsx")]
    [InlineData("https://stratsys.se/plan med mellanslag")]
    [InlineData("https://")]
    public void Validate_RefusesAnythingElse_NamingTheField(string given)
    {
        var error = Assert.Throws<InputException>(() => DeliverableLink.Validate(given));
        Assert.Equal("deliverableLink", error.Field);
    }

    [Fact]
    public async Task Submit_KeepsTheStratsysLink_AndRefusesAScriptLink_LeavingTheStepOpen()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        await StartAsync(h);
        var step = await StepAsync(h, "forutsattningar");
        var contributor = await h.ActorAsync(EsContributor);

        var refused = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, "javascript:alert(1)", null))));
        Assert.Equal("deliverableLink", refused.Field);
        Assert.Equal(StepState.Opened, (await StepAsync(h, "forutsattningar")).State);

        var done = await h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, "https://rvn.stratsys.se/plan/2027 ", "I Stratsys")));
        Assert.Equal("https://rvn.stratsys.se/plan/2027", done.DeliverableLink);
    }
}
