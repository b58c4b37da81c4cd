using AnnualCycle.Domain.Definitions.Json;

namespace AnnualCycle.Domain.Definitions;

/// <summary>One problem in a definition or organisation file, printed as <c>path:line:column: message</c>.</summary>
public sealed record DefinitionProblem(string File, TextPosition Position, string Message)
{
    public override string ToString() => $"{File}:{Position.Line}:{Position.Column}: {Message}";
}
