using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Separation of duties over the whole chain of one round: the återkoppling of HSN is signed by the förvaltningsdirektör
/// of HSF, then by the nämnd. Nobody gives two of those signatures, in any capacity, and the submitter gives none.
/// </summary>
public abstract class SeparationOfDutiesTests : EngineTestBase
{
    [Fact]
    public async Task Director_WhoSignedLevelOne_MayNotSignLevelTwo_AsTheCommitteesDeputy()
    {
        await using var h = await CreateHarnessAsync();
        await h.AddDeputyAsync(HsnCommittee, HsfDirector);
        var step = await SubmittedAterkopplingAsync(h);
        var director = await h.ActorAsync(HsfDirector);
        Assert.Equal("Submitted", (await ApproveAsync(h, director, step)).State);

        var error = await Assert.ThrowsAsync<ForbiddenActionException>(() => ApproveAsync(h, director, step));
        Assert.Contains("separation of duties", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<ReturnStepHandler, StepDto>(x => x.HandleAsync(director, new ReturnStepCommand(step.Id, "gör om"))));
        Assert.Equal(StepState.Submitted, (await StepAsync(h, step.Key)).State);
        Assert.Equal(1, await h.DbAsync(db => db.Approvals.CountAsync(a => a.StepInstanceId == step.Id && a.State == ApprovalState.Approved)));

        // The nämnd in its own right still may: the chain is not stuck.
        Assert.Equal("Completed", (await ApproveAsync(h, await h.ActorAsync(HsnCommittee), step)).State);
    }

    [Fact]
    public async Task Director_WhoSignedLevelOne_MayNotSignLevelTwo_ThroughASecondRole()
    {
        await using var h = await CreateHarnessAsync();
        await GrantAsync(h, HsfDirector, "HSN", Roles.Committee);
        var step = await SubmittedAterkopplingAsync(h);
        var director = await h.ActorAsync(HsfDirector);
        await ApproveAsync(h, director, step);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => ApproveAsync(h, director, step));
        var tasks = await h.HandleAsync<MyTasksQuery, IReadOnlyList<MyTaskDto>>(x => x.HandleAsync(director));
        Assert.DoesNotContain(tasks, t => t.Step.Id == step.Id);
    }

    [Fact]
    public async Task Committee_WhoseDeputySignedLevelOne_MayNotSignLevelTwo_InTheirOwnRight()
    {
        await using var h = await CreateHarnessAsync();
        // The nämnd's member also stands in for the förvaltningsdirektör: signing level 1 for them uses up their own signature.
        await h.AddDeputyAsync(HsfDirector, HsnCommittee);
        var step = await SubmittedAterkopplingAsync(h);
        var committee = await h.ActorAsync(HsnCommittee);
        await ApproveAsync(h, committee, step);
        var level1 = await h.DbAsync(db => db.Approvals.SingleAsync(a => a.StepInstanceId == step.Id && a.State == ApprovalState.Approved));
        Assert.Equal((HsnCommittee, HsfDirector), (level1.DecidedByUserId, level1.OnBehalfOfUserId));

        await Assert.ThrowsAsync<ForbiddenActionException>(() => ApproveAsync(h, committee, step));
    }

    [Fact]
    public async Task Deputy_WhoSignedLevelOne_ForTheDirector_MayNotLetTheDirectorSignLevelTwo()
    {
        await using var h = await CreateHarnessAsync();
        await h.AddDeputyAsync(HsfDirector, HsfDeputy);
        await GrantAsync(h, HsfDirector, "HSN", Roles.Committee);
        var step = await SubmittedAterkopplingAsync(h);
        await ApproveAsync(h, await h.ActorAsync(HsfDeputy), step);

        // The director's authority was used at level 1 (by the deputy): they may not sign again in another role.
        await Assert.ThrowsAsync<ForbiddenActionException>(async () => await ApproveAsync(h, await h.ActorAsync(HsfDirector), step));
    }

    [Fact]
    public async Task Submitter_WhoAlsoHoldsTheCommitteeRole_SignsNothing()
    {
        await using var h = await CreateHarnessAsync();
        await GrantAsync(h, HsnContributor, "HSN", Roles.Committee);
        var step = await SubmittedAterkopplingAsync(h);
        await ApproveAsync(h, await h.ActorAsync(HsfDirector), step);

        var error = await Assert.ThrowsAsync<ForbiddenActionException>(async () => await ApproveAsync(h, await h.ActorAsync(HsnContributor), step));
        Assert.Contains("submitted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAReturn_TheNextRoundIsSignedAfresh_ByTheSamePeople()
    {
        await using var h = await CreateHarnessAsync();
        var step = await SubmittedAterkopplingAsync(h);
        var director = await h.ActorAsync(HsfDirector);
        await ApproveAsync(h, director, step);
        await h.HandleAsync<ReturnStepHandler, StepDto>(async x => await x.HandleAsync(await h.ActorAsync(HsnCommittee), new ReturnStepCommand(step.Id, "komplettera")));
        await SubmitAsync(h, step);

        Assert.Equal("Submitted", (await ApproveAsync(h, director, step)).State);
        Assert.Equal("Completed", (await ApproveAsync(h, await h.ActorAsync(HsnCommittee), step)).State);
    }

    private static async Task<StepInstanceEntity> SubmittedAterkopplingAsync(EngineHarness h)
    {
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 7, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "aterkoppling/HSN");
        await SubmitAsync(h, step, HsnContributor);
        return step;
    }

    private static async Task<StepDto> ApproveAsync(EngineHarness h, Actor actor, StepInstanceEntity step)
    {
        var command = await ApproveCommandAsync(h, step.Id, "ok");
        return await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(actor, command));
    }

    private static Task<int> GrantAsync(EngineHarness h, string user, string body, string role) => h.DbAsync(db =>
    {
        db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user, OrganisationId = FakeCyclePlanner.OrganisationId, BodyId = body, Role = role });
        return db.SaveChangesAsync();
    });
}

public sealed class SeparationOfDutiesSqliteTests : SeparationOfDutiesTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();
}

public sealed class SeparationOfDutiesPostgreSqlTests : SeparationOfDutiesTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("sod"));
}
