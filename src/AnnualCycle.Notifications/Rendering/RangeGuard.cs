using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;

namespace AnnualCycle.Notifications.Rendering;

/// <summary>
/// Refuses ranges an override could use to exhaust the machine. Fluid builds the whole array of a range such as
/// <c>(1..100000000)</c> before the first loop step is counted, so <see cref="TemplateOptions.MaxSteps"/> alone
/// stops it only after seconds and gigabytes. In an organisation's template a range must therefore have bounds
/// written as numbers and at most <see cref="MaxRangeSize"/> items; loops over the model's lists are unaffected.
/// </summary>
internal sealed partial class RangeGuard : AstVisitor
{
    public const int MaxRangeSize = 10_000;

    private string? _problem;

    /// <summary>Null when every range is fine, else <c>path:line:column: message</c> for the first bad one.</summary>
    public static string? Check(IFluidTemplate template, string source, string path)
    {
        var guard = new RangeGuard();
        guard.VisitTemplate(template);
        if (guard._problem is null)
        {
            return null;
        }

        var (line, column) = FirstRangePosition(source);
        return $"{path}:{line}:{column}: {guard._problem}";
    }

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        if (_problem is null)
        {
            if (rangeExpression.From is LiteralExpression from && rangeExpression.To is LiteralExpression to)
            {
                var size = Math.Abs(to.Value.ToNumberValue() - from.Value.ToNumberValue()) + 1;
                if (size > MaxRangeSize)
                {
                    _problem = string.Create(
                        CultureInfo.InvariantCulture,
                        $"a range of {size} items is larger than the {MaxRangeSize} a template may use");
                }
            }
            else
            {
                _problem = "a range in a template must have numbers as bounds, e.g. (1..12)";
            }
        }

        return base.VisitRangeExpression(rangeExpression);
    }

    private static (int Line, int Column) FirstRangePosition(string source)
    {
        var match = RangePattern().Match(source);
        if (!match.Success)
        {
            return (1, 1);
        }

        var before = source.AsSpan(0, match.Index);
        var line = before.Count('\n') + 1;
        var column = match.Index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    [GeneratedRegex(@"\([^()]*\.\.[^()]*\)")]
    private static partial Regex RangePattern();
}
