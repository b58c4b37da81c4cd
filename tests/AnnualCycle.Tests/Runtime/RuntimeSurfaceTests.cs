using AnnualCycle.Runtime;

namespace AnnualCycle.Tests.Runtime;

/// <summary>
/// The public surface of <c>AnnualCycle.Runtime</c> is what hosts use (the composition root, handlers, queries, DTOs,
/// seams); its plumbing is internal, visible to these tests only (<c>InternalsVisibleTo</c>).
/// </summary>
public sealed class RuntimeSurfaceTests
{
    private static readonly string[] Plumbing =
    [
        "AnnualCycle.Runtime.Cycles.EngineWork",
        "AnnualCycle.Runtime.Cycles.Journal.JournalHash",
        "AnnualCycle.Runtime.Cycles.Journal.JournalChain",
        "AnnualCycle.Runtime.Cycles.Journal.JournalVerifier",
        "AnnualCycle.Runtime.People.ActorAccessor",
        "AnnualCycle.Runtime.People.EmailAddresses",
        "AnnualCycle.Runtime.People.EmailLookupNormalizer",
        "AnnualCycle.Runtime.People.PeopleInput",
        "AnnualCycle.Runtime.Deliverables.DeliverableFileName",
        "AnnualCycle.Runtime.Calendar.StepDeadlineEvents",
    ];

    [Fact]
    public void Plumbing_IsInternal()
    {
        var assembly = typeof(AnnualCycleCore).Assembly;
        var types = Plumbing.Select(name => (Name: name, Type: assembly.GetType(name))).ToList();

        Assert.All(types, t => Assert.True(t.Type is not null, $"{t.Name} is not in the runtime any more: update this list"));
        Assert.Empty(types.Where(t => t.Type!.IsPublic).Select(t => t.Name));
    }
}
