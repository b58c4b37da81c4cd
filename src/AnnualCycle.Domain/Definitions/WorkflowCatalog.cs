using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// The definitions of a workflows folder: <c>*.json</c> at its top level (workflow definitions) and
/// <c>organisations/*.json</c>. Every valid file is kept; a file with any problem is left out and its problems
/// recorded, one per line, as <c>path:line:column: message</c>. Paths are the folder as given joined with the file name.
/// Several files may hold versions of one workflow id (each a whole definition with its own <c>version</c> and
/// <c>appliesTo</c>); <see cref="Resolve"/> picks the one for a budget year, or the version a running cycle started with.
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

    /// <summary>Every loaded version of every definition.</summary>
    public IReadOnlyList<WorkflowDefinition> Definitions => _definitions;

    /// <summary>One row per workflow id: its current version (<see cref="FindDefinition"/>).</summary>
    public IReadOnlyList<WorkflowSummary> Workflows =>
        _definitions.Select(d => d.Id).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(id => FindDefinition(id)!)
            .Select(d => new WorkflowSummary(d.Id, d.Name, d.Version, d.OrganisationId, d.File))
            .ToList();

    public IReadOnlyList<Organisation> Organisations => _organisations;

    public IReadOnlyList<DefinitionProblem> ProblemDetails => _problems;

    public IReadOnlyList<string> Problems => _problems.Select(p => p.ToString()).ToList();

    public Organisation? FindOrganisation(string id) => _organisations.FirstOrDefault(o => string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The current version of a workflow, or null: the one that plans the latest budget years (an open-ended
    /// <c>appliesTo</c> before one that ends), the highest version among those. Version numbers only tell versions
    /// apart; the version for the budget year 2023 may well be numbered above the one for 2025 onwards.
    /// </summary>
    public WorkflowDefinition? FindDefinition(string id) => VersionsOf(id).MaxBy(d => (d.AppliesTo?.To ?? int.MaxValue, d.Version));

    /// <summary>Every loaded version of a workflow, lowest first.</summary>
    public IReadOnlyList<WorkflowDefinition> VersionsOf(string id) =>
        _definitions.Where(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)).OrderBy(d => d.Version).ToList();

    /// <summary>
    /// The version to plan budget year <paramref name="year"/> with: <paramref name="version"/> when given (a running
    /// cycle keeps the version it started with), otherwise the highest version whose <c>appliesTo</c> holds the year.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No loaded definition has this id, or not this version.</exception>
    /// <exception cref="PlanningException">No version applies to the year, or the named version does not.</exception>
    public WorkflowDefinition Resolve(string id, int year, int? version = null)
    {
        var versions = VersionsOf(id);
        if (versions.Count == 0)
        {
            throw new KeyNotFoundException($"No workflow definition '{id}' is loaded.");
        }

        var chosen = version is { } v
            ? versions.FirstOrDefault(d => d.Version == v)
                ?? throw new KeyNotFoundException($"Version {v} of workflow '{id}' is not loaded (loaded: {string.Join(", ", versions.Select(d => d.VersionLabel))}).")
            : versions.LastOrDefault(d => d.AppliesToYear(year));
        var labels = string.Join(", ", versions.Select(d => d.VersionLabel));
        if (chosen is null)
        {
            throw new PlanningException($"no version of {id} applies to budget year {year} (versions: {labels})", versions[^1].OrganisationPosition);
        }

        if (!chosen.AppliesToYear(year))
        {
            throw new PlanningException($"{id} {chosen.VersionLabel} does not apply to budget year {year} (versions: {labels})", chosen.OrganisationPosition);
        }

        return chosen;
    }

    /// <summary>Budget years the organisation's sammanträdesplan covers: meetings the year before, of and after.</summary>
    public IReadOnlyList<int> PlannableYears(string organisationId)
    {
        var years = FindOrganisation(organisationId)?.Meetings.Select(m => m.Date.Year).ToHashSet() ?? [];
        return years.Where(y => years.Contains(y - 1) && years.Contains(y + 1)).Order().ToList();
    }

    /// <summary>Budget years one version can be planned for: its organisation's plannable years within its <c>appliesTo</c>.</summary>
    public IReadOnlyList<int> PlannableYears(WorkflowDefinition definition) =>
        PlannableYears(definition.OrganisationId).Where(definition.AppliesToYear).ToList();

    /// <summary>Budget years a workflow can be planned for by any of its versions.</summary>
    public IReadOnlyList<int> PlannableYearsOf(string workflowId) =>
        VersionsOf(workflowId).SelectMany(PlannableYears).Distinct().Order().ToList();

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
            var versions = VersionsOf(definition.Id);
            if (versions.FirstOrDefault(d => d.Version == definition.Version) is { } same)
            {
                reader.Report(root["version"]!.Position, $"version {definition.Version} of workflow '{definition.Id}' is already defined by {same.File}; give this file another version");
            }
            else if (FindOrganisation(definition.OrganisationId) is not null
                && versions.FirstOrDefault(d => !string.Equals(d.OrganisationId, definition.OrganisationId, StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                reader.Report(definition.OrganisationPosition, $"workflow '{definition.Id}' belongs to organisation '{other.OrganisationId}' in {other.File}; every version of a workflow plans the same organisation");
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
