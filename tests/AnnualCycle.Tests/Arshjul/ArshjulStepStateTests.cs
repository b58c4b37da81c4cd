using AnnualCycle.Arshjul.Model;
using AnnualCycle.Arshjul.Rendering;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime;

namespace AnnualCycle.Tests.Arshjul;

/// <summary>
/// The wheel draws the engine's own step states (one enum, in the domain): every state has its own colour, word and
/// sign in both languages, and the drawing library ships no demo data.
/// </summary>
public sealed class ArshjulStepStateTests
{
    [Fact]
    public void EveryStepState_HasItsOwnColourWordAndSign()
    {
        var states = Enum.GetValues<StepState>();
        Assert.Equal(states.Length, states.Select(s => ArshjulPalette.For(s)).Distinct().Count());
        foreach (var texts in new[] { ArshjulTexts.Swedish, ArshjulTexts.English })
        {
            Assert.Equal(states.Length, states.Select(texts.State).Distinct().Count());
            Assert.DoesNotContain(states, s => texts.State(s) == s.ToString());
            Assert.Equal(states.Length, states.Select(texts.Symbol).Distinct().Count());
        }
    }

    [Fact]
    public void ProductAssemblies_CarryNoDrawingDemoOrBenchCode()
    {
        Assert.DoesNotContain(typeof(ArshjulModel).Assembly.GetTypes(), t => t.Name.Contains("Demo", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(AnnualCycleCore).Assembly.GetTypes(), t => t.Namespace?.EndsWith(".Benchmarks", StringComparison.Ordinal) == true || t.Name.Contains("Scaled", StringComparison.Ordinal));
    }
}
