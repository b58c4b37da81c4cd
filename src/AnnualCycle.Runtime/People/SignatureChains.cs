namespace AnnualCycle.Runtime.People;

/// <summary>One signature of a step's chain: the role in a body whose holder gives it.</summary>
public sealed record ChainSlot(string BodyId, string Role)
{
    public bool HeldBy(RoleGrant grant, string organisationId) =>
        string.Equals(grant.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(grant.BodyId, BodyId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(grant.Role, Role, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Role} in {BodyId}";
}

/// <summary>
/// The signatures one step asks for, in an organisation: the submission (a contributor of the step's body) and each
/// approval of its chain (e.g. the förvaltningsdirektör of HSF, then the nämnd HSN). No person may give two of them.
/// </summary>
public sealed record SignatureChain(string OrganisationId, string Step, IReadOnlyList<ChainSlot> Slots);

/// <summary>Two signatures of one chain that would fall to one person.</summary>
public sealed record SignatureConflict(SignatureChain Chain, ChainSlot First, ChainSlot Second)
{
    public string Describe(string who) =>
        $"{who} would give two signatures of the chain of step {Chain.Step}: {First} and {Second} (no person signs twice in one chain)";
}

/// <summary>
/// The signature chains of an organisation, where separation of duties is checked when roles and deputies are handed out
/// (at signing time the capability rule checks it again): the chains of its workflow definitions as the planner resolves
/// them (fan-out bodies, <c>$administration</c>), and those of the steps of its running cycles (which may come from an
/// older version of a definition).
/// </summary>
public sealed class SignatureChains(AnnualCycleDbContext db, IServiceProvider services, TimeProvider clock, StockholmTime stockholm, IWorkflowCatalog? catalog = null)
{
    public async Task<IReadOnlyList<SignatureChain>> ForAsync(string organisationId, CancellationToken ct = default)
    {
        var chains = new Dictionary<string, SignatureChain>(StringComparer.Ordinal);
        void Add(string step, IEnumerable<ChainSlot> slots)
        {
            var distinct = slots.Distinct().ToList();
            if (distinct.Count < 2)
            {
                return; // one signature cannot be given twice
            }

            var key = string.Join("|", distinct.Select(s => $"{s.BodyId.ToUpperInvariant()}/{s.Role.ToLowerInvariant()}").Order(StringComparer.Ordinal));
            chains.TryAdd(key, new SignatureChain(organisationId, step, distinct));
        }

        foreach (var step in Planned(organisationId))
        {
            Add(step.Key, step.Approvals.Select(a => new ChainSlot(a.BodyId, a.Role)).Prepend(new ChainSlot(step.BodyId, Roles.Contributor)));
        }

        var running = await (
                from a in db.Approvals.AsNoTracking()
                join s in db.StepInstances.AsNoTracking() on a.StepInstanceId equals s.Id
                join c in db.Cycles.AsNoTracking() on s.CycleId equals c.Id
                where c.OrganisationId == organisationId && c.Status == CycleStatus.Running
                select new { s.Key, StepBody = s.BodyId, a.BodyId, a.Role })
            .Distinct().ToListAsync(ct);
        foreach (var step in running.GroupBy(r => (r.Key, r.StepBody)))
        {
            Add(step.Key.Key, step.Select(a => new ChainSlot(a.BodyId, a.Role)).Prepend(new ChainSlot(step.Key.StepBody, Roles.Contributor)));
        }

        return chains.Values.ToList();
    }

    /// <summary>
    /// A person who would hold <paramref name="held"/> and <paramref name="added"/> together: the first chain in which one
    /// of the added grants and another grant give two different signatures, or null.
    /// </summary>
    public static SignatureConflict? FindConflict(IEnumerable<SignatureChain> chains, IReadOnlyCollection<RoleGrant> held, IReadOnlyCollection<RoleGrant> added)
    {
        foreach (var chain in chains)
        {
            var fromAdded = chain.Slots.Where(s => added.Any(g => s.HeldBy(g, chain.OrganisationId))).ToList();
            if (fromAdded.Count == 0)
            {
                continue;
            }

            var all = chain.Slots.Where(s => fromAdded.Contains(s) || held.Any(g => s.HeldBy(g, chain.OrganisationId))).ToList();
            if (all.Count >= 2)
            {
                var first = fromAdded[0];
                return new SignatureConflict(chain, all.First(s => s != first), first);
            }
        }

        return null;
    }

    /// <summary>Throws an <see cref="InputException"/> on <paramref name="field"/> when the person would hold two signatures of a chain.</summary>
    public async Task RequireNoConflictAsync(string field, string who, IReadOnlyCollection<RoleGrant> held, IReadOnlyCollection<RoleGrant> added, CancellationToken ct = default)
    {
        foreach (var organisationId in added.Select(g => g.OrganisationId).Where(o => o != Roles.AllOrganisations).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (FindConflict(await ForAsync(organisationId, ct), held, added) is { } conflict)
            {
                throw new InputException(field, conflict.Describe(who));
            }
        }
    }

    /// <summary>
    /// The steps of each definition of the organisation, planned for the first year around now that plans (the chains do
    /// not change with the year; the version in force may). Planning needs the organisation's meeting calendar for the year.
    /// </summary>
    private IEnumerable<PlannedStep> Planned(string organisationId)
    {
        var planner = services.GetService<ICyclePlanner>();
        if (planner is null || catalog is null)
        {
            yield break;
        }

        var year = stockholm.LocalDate(clock.GetUtcNow()).Year;
        foreach (var workflow in catalog.Workflows.Where(w => string.Equals(w.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase)))
        {
            CyclePlan? plan = null;
            foreach (var candidate in new[] { year + 1, year, year + 2, year - 1 })
            {
                try
                {
                    plan = planner.Plan(workflow.Id, candidate);
                    break;
                }
                catch (Exception ex) when (ex is Domain.Definitions.PlanningException or KeyNotFoundException)
                {
                    // Not plannable that year (no sammanträdesplan): try the next.
                }
            }

            foreach (var step in plan?.Steps ?? [])
            {
                yield return step;
            }
        }
    }
}
