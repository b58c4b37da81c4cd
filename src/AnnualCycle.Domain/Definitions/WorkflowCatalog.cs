using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// The definitions of a workflows folder: <c>*.json</c> at its top level (workflow definitions) and
/// <c>organisations/*.json</c>. Every valid file is kept; a file with any problem is left out and its problems
/// recorded, one per line, as <c>path:line:column: message</c>. Paths are the folder as given joined with the file name.
/// </summary>
public sealed class WorkflowCatalog : IWorkflowCatalog
{
    public const string OrganisationsFolder = "organisations";

    private readonly List<WorkflowDefinition> _definitions = [];
    private readonly List<Organisation> _organisations = [];
    private readonly List<DefinitionProblem> _problems = [];

    private WorkflowCatalog()
    {
    }

    public IReadOnlyList<WorkflowDefinition> Definitions => _definitions;

    public IReadOnlyList<WorkflowSummary> Workflows =>
        _definitions.Select(d => new WorkflowSummary(d.Id, d.Name, d.Version, d.OrganisationId, d.File)).ToList();

    public IReadOnlyList<Organisation> Organisations => _organisations;

    public IReadOnlyList<DefinitionProblem> ProblemDetails => _problems;

    public IReadOnlyList<string> Problems => _problems.Select(p => p.ToString()).ToList();

    public Organisation? FindOrganisation(string id) => _organisations.FirstOrDefault(o => string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase));

    public WorkflowDefinition? FindDefinition(string id) => _definitions.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Budget years the organisation's sammanträdesplan covers: meetings the year before, of and after.</summary>
    public IReadOnlyList<int> PlannableYears(string organisationId)
    {
        var years = FindOrganisation(organisationId)?.Meetings.Select(m => m.Date.Year).ToHashSet() ?? [];
        return years.Where(y => years.Contains(y - 1) && years.Contains(y + 1)).Order().ToList();
    }

    /// <summary>Budget years a definition can be planned for: its organisation's plannable years from its <c>firstYear</c> on.</summary>
    public IReadOnlyList<int> PlannableYears(WorkflowDefinition definition) =>
        PlannableYears(definition.OrganisationId).Where(y => y >= (definition.FirstYear ?? y)).ToList();

    /// <summary>Loads a workflows folder. A missing folder is one problem, not an exception.</summary>
    /// <param name="folder">The workflows folder (definitions, <c>organisations/</c>).</param>
    /// <param name="time">The zone each definition is test-planned in while it is checked.</param>
    public static WorkflowCatalog Load(string folder, StockholmTime time)
    {
        var catalog = new WorkflowCatalog();
        if (!Directory.Exists(folder))
        {
            catalog._problems.Add(new DefinitionProblem(folder, new TextPosition(1, 1), "the workflows folder does not exist"));
            return catalog;
        }

        var organisationFolder = Path.Combine(folder, OrganisationsFolder);
        var organisationFiles = Directory.Exists(organisationFolder) ? Directory.GetFiles(organisationFolder, "*.json").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var file in organisationFiles)
        {
            catalog.LoadOrganisation(file);
        }

        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            catalog.LoadDefinition(file, time);
        }

        return catalog;
    }

    private void LoadOrganisation(string file)
    {
        var reader = new NodeReader(file);
        if (Read(file, reader) is { } root && OrganisationParser.Parse(root, reader) is { } organisation && reader.Problems.Count == 0)
        {
            if (FindOrganisation(organisation.Id) is { } other)
            {
                reader.Report(root["id"]!.Position, $"organisation id '{organisation.Id}' is already used by another file");
            }
            else
            {
                _organisations.Add(organisation);
            }
        }

        _problems.AddRange(reader.Problems);
    }

    private void LoadDefinition(string file, StockholmTime time)
    {
        var reader = new NodeReader(file);
        if (Read(file, reader) is { } root && WorkflowParser.ParsePartial(root, reader) is ({ } definition, var stepIds))
        {
            WorkflowChecker.Check(definition, FindOrganisation(definition.OrganisationId), reader, time, stepIds);
            if (FindDefinition(definition.Id) is { } other)
            {
                reader.Report(root["id"]!.Position, $"workflow id '{definition.Id}' is already used by {other.File}");
            }

            if (reader.Problems.Count == 0)
            {
                _definitions.Add(definition);
            }
        }

        _problems.AddRange(reader.Problems);
    }

    private static JsonTreeNode? Read(string file, NodeReader reader)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (IOException ex)
        {
            reader.Report(new TextPosition(1, 1), "cannot read the file: " + ex.Message);
            return null;
        }

        var root = JsonTreeNode.Parse(bytes, out var error);
        if (error is { } e)
        {
            reader.Report(e.Position, e.Message);
        }

        return root;
    }
}
