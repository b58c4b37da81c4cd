using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using Microsoft.EntityFrameworkCore;
using AnnualCycle.Tests.Infrastructure;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Every command handler against every role, on a real database: nobody gets through where they should not,
/// and everyone gets through where they should. The scene on 2027-03-02: månadsrapport 1 of HSN submitted by
/// its contributor (the förvaltningsdirektör of HSF decides next), månadsrapport 2 of HSN open, the kick-off open.
/// </summary>
public sealed class AuthorizationMatrixTests : EngineTestBase
{
    private static readonly string[] Everyone = [ProcessOwner, Admin, HsnContributor, HsnContributor2, RunContributor, RsContributor, HsfDirector, RufDirector, HsnCommittee];

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["start"] = [ProcessOwner],
        ["submit"] = [HsnContributor, HsnContributor2],
        ["approve"] = [HsfDirector],
        ["return"] = [HsfDirector],
        ["confirm"] = [RsContributor, ProcessOwner],
        ["skip"] = [ProcessOwner],
        ["cancel"] = [ProcessOwner],
        ["reschedule"] = [ProcessOwner],
        ["remind"] = [ProcessOwner],
    };

    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();

    public static TheoryData<string, string> AllowedCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, users) in Allowed)
        {
            foreach (var user in users)
            {
                data.Add(command, user);
            }
        }

        return data;
    }

    [Fact]
    public async Task EveryoneElse_IsForbidden_AndNothingChanges()
    {
        await using var h = await SceneAsync();
        var journal = await h.DbAsync(db => db.Journal.CountAsync());
        var wrong = new List<string>();
        foreach (var (command, users) in Allowed)
        {
            foreach (var user in Everyone.Except(users))
            {
                try
                {
                    await RunAsync(h, command, user);
                    wrong.Add($"{user} could {command}");
                }
                catch (ForbiddenActionException)
                {
                }
                catch (Exception ex)
                {
                    wrong.Add($"{user} {command}: {ex.GetType().Name} instead of 403");
                }
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(journal, await h.DbAsync(db => db.Journal.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(AllowedCases))]
    public async Task TheRightPerson_GetsThrough(string command, string user)
    {
        await using var h = await SceneAsync();
        await RunAsync(h, command, user);
    }

    private async Task<EngineHarness> SceneAsync()
    {
        var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2027, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await SubmitAsync(h, await StepAsync(h, "manadsrapport#1/HSN"), HsnContributor);
        return h;
    }

    private static async Task RunAsync(EngineHarness h, string command, string user)
    {
        var actor = await h.ActorAsync(user);
        var submitted = (await StepAsync(h, "manadsrapport#1/HSN")).Id;
        var open = (await StepAsync(h, "manadsrapport#2/HSN")).Id;
        var meeting = (await StepAsync(h, "kickoff")).Id;
        _ = command switch
        {
            "start" => await h.HandleAsync<StartCycleHandler, object>(async x => await x.HandleAsync(actor, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2028))),
            "submit" => await h.HandleAsync<SubmitStepHandler, object>(async x => await x.HandleAsync(actor, new SubmitStepCommand(open, null, "Klart."))),
            "approve" => await h.HandleAsync<ApproveStepHandler, object>(async x => await x.HandleAsync(actor, new ApproveStepCommand(submitted, null))),
            "return" => await h.HandleAsync<ReturnStepHandler, object>(async x => await x.HandleAsync(actor, new ReturnStepCommand(submitted, "gör om"))),
            "confirm" => await h.HandleAsync<ConfirmStepHandler, object>(async x => await x.HandleAsync(actor, new ConfirmStepCommand(meeting, null))),
            "skip" => await h.HandleAsync<SkipStepHandler, object>(async x => await x.HandleAsync(actor, new SkipStepCommand(open, "behövs inte"))),
            "cancel" => await h.HandleAsync<CancelStepHandler, object>(async x => await x.HandleAsync(actor, new CancelStepCommand(open, "utgår"))),
            "reschedule" => await h.HandleAsync<RescheduleStepHandler, object>(async x => await x.HandleAsync(actor, new RescheduleStepCommand(open, new DateOnly(2027, 3, 31), null))),
            "remind" => await h.HandleAsync<RemindNowHandler, object>(async x => await x.HandleAsync(actor, new RemindNowCommand(open))),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }
}
