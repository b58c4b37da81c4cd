namespace AnnualCycle.Runtime.Cycles;

/// <summary>Who receives a notification, read straight from the role grants and deputies.</summary>
public sealed class PeopleDirectory(AnnualCycleDbContext db)
{
    public Task<List<string>> HoldersAsync(string organisationId, string? bodyId, string role, CancellationToken ct = default) =>
        db.RoleGrants.AsNoTracking()
            .Where(g => g.OrganisationId == organisationId && g.BodyId == bodyId && g.Role == role)
            .Select(g => g.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);

    public Task<List<string>> ContributorsAsync(string organisationId, string bodyId, CancellationToken ct = default) =>
        HoldersAsync(organisationId, bodyId, Roles.Contributor, ct);

    public Task<List<string>> ProcessOwnersAsync(string organisationId, CancellationToken ct = default) =>
        HoldersAsync(organisationId, null, Roles.ProcessOwner, ct);

    /// <summary>Deputies acting for any of <paramref name="principals"/> on <paramref name="date"/> (both ends of a range included).</summary>
    public async Task<List<string>> DeputiesActiveAsync(IReadOnlyCollection<string> principals, DateOnly date, CancellationToken ct = default)
    {
        if (principals.Count == 0)
        {
            return [];
        }

        return await db.Deputies.AsNoTracking()
            .Where(d => principals.Contains(d.PrincipalUserId) && d.FromDate <= date && d.ToDate >= date)
            .Select(d => d.DeputyUserId).Distinct().ToListAsync(ct);
    }

    /// <summary>The users plus their deputies active on the date, each once.</summary>
    public async Task<List<string>> WithDeputiesAsync(IReadOnlyCollection<string> users, DateOnly date, CancellationToken ct = default)
    {
        var deputies = await DeputiesActiveAsync(users, date, ct);
        return users.Concat(deputies).Distinct().OrderBy(u => u, StringComparer.Ordinal).ToList();
    }
}
