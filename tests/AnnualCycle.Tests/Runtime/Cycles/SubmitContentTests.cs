using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>A submission hands something in: a file, a link or a comment. Nothing at all is a 400 naming the field, and nothing changes.</summary>
public sealed class SubmitContentTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();

    [Fact]
    public async Task Submit_WithNothing_IsRefusedNamingTheField_AndTheStepStaysOpen()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        Assert.Equal(StepState.Opened, step.State);
        var contributor = await h.ActorAsync(HsnContributor);

        var refused = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, "  ", " "))));
        Assert.Equal("deliverableLink", refused.Field);
        var after = await StepAsync(h, step.Key);
        Assert.Equal(StepState.Opened, after.State);
        Assert.Equal(step.Version, after.Version);
        Assert.False(await h.DbAsync(db => db.Journal.AnyAsync(j => j.StepInstanceId == step.Id && j.Action == "Submitted")));

        // A stranger still hears "forbidden" first: the capability rule is asked before the content.
        var stranger = await h.ActorAsync(RunContributor);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(stranger, new SubmitStepCommand(step.Id, null, null))));

        // A comment alone is enough (it can say where the deliverable is).
        var submitted = await h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, null, "Rapporten ligger i Stratsys.")));
        Assert.Equal("Submitted", submitted.State);
    }
}
