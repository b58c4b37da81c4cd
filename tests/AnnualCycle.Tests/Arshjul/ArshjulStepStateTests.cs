using AnnualCycle.Arshjul.Model;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime;

namespace AnnualCycle.Tests.Arshjul;

/// <summary>The wheel colours exactly the states a step can be stored in, and the drawing library ships no demo data.</summary>
public sealed class ArshjulStepStateTests
{
    [Fact]
    public void WheelStates_AreTheStoredStepStates_OneForOne()
    {
        Assert.Equal(Enum.GetNames<StepState>(), Enum.GetNames<ArshjulStepState>());
    }

    [Fact]
    public void ProductAssemblies_CarryNoDrawingDemoOrBenchCode()
    {
        Assert.DoesNotContain(typeof(ArshjulModel).Assembly.GetTypes(), t => t.Name.Contains("Demo", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(AnnualCycleCore).Assembly.GetTypes(), t => t.Namespace?.EndsWith(".Benchmarks", StringComparison.Ordinal) == true || t.Name.Contains("Scaled", StringComparison.Ordinal));
    }
}
