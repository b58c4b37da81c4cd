using System.Security.Cryptography;
using System.Text.Json;
using AnnualCycle.Data.Meetings;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Runtime.Cycles.Commands;

namespace AnnualCycle.Runtime.Meetings;

/// <param name="Source"><c>import</c> for an imported meeting, <c>file</c> for one from <c>workflows/organisations/</c>.</param>
public sealed record MeetingDto(string BodyId, string BodyName, DateOnly Date, string? Title, string Source);

/// <param name="Imported">True when an import replaced (some of) the file's meetings of this year.</param>
public sealed record MeetingCalendarDto(string OrganisationId, int Year, bool Imported, IReadOnlyList<MeetingDto> Meetings);

/// <param name="DryRun">True when nothing was stored: <see cref="Meetings"/> is what would be imported, <see cref="Impact"/> what it would do.</param>
/// <param name="ReplacedBodies">The bodies whose meetings of the year the import replaces.</param>
/// <param name="Version">The stored version (1, 2, …); null for a dry run.</param>
/// <param name="Impact">Per running cycle of the organisation, every step whose date would move (or moved) or could no longer be resolved.</param>
/// <param name="Fingerprint">Names this exact impact: saving an import that moves dates needs it as <c>confirm</c>.</param>
/// <param name="RequiresConfirmation">True when saving moves dates of a running cycle (it needs <see cref="Fingerprint"/> as confirmation).</param>
/// <param name="RestoresVersion">For an undo: the version whose meetings it restores (0: the organisation file's).</param>
/// <param name="Refused">Set when saving would be refused (a step of a running cycle could no longer be given a date), in Swedish.</param>
public sealed record MeetingImportResultDto(
    string OrganisationId,
    int Year,
    bool DryRun,
    IReadOnlyList<string> ReplacedBodies,
    IReadOnlyList<MeetingDto> Meetings,
    int? Version,
    IReadOnlyList<CycleImpactDto> Impact,
    string Fingerprint,
    bool RequiresConfirmation,
    string? Refused,
    int? RestoresVersion = null);

/// <summary>What an import does to one running cycle.</summary>
/// <param name="Steps">Every step whose dates move or that could no longer be given a date; empty when the cycle is untouched.</param>
public sealed record CycleImpactDto(Guid CycleId, string CycleName, int Year, IReadOnlyList<StepImpactDto> Steps);

/// <summary>One step of a running cycle that an import moves or leaves without a date; dates are Europe/Stockholm dates.</summary>
/// <param name="Change"><c>moved</c> or <c>unresolved</c>.</param>
/// <param name="Text">The line shown to people, in Swedish, e.g. "Regionplan med budget (Regionfullmäktige): sista dag 2026-11-24 → 2026-11-17".</param>
public sealed record StepImpactDto(
    string Key,
    string Title,
    string BodyId,
    string BodyName,
    string Change,
    DateOnly? OldOpens,
    DateOnly? NewOpens,
    DateOnly? OldDue,
    DateOnly? NewDue,
    string? Problem,
    string Text);

/// <summary>One saved version of a year's sammanträdesplan.</summary>
/// <param name="Kind"><c>import</c> or <c>undo</c>.</param>
/// <param name="RestoresVersion">For an undo, the version it restored (0: the organisation file's meetings).</param>
/// <param name="Current">True for the version in effect.</param>
public sealed record MeetingImportVersionDto(int Version, string Kind, int? RestoresVersion, DateTime ImportedAtUtc, string ImportedBy, int MeetingCount, int MovedDates, bool Current);

/// <param name="ContentType">The request's content type: <c>text/calendar</c> is read as iCalendar, anything else as CSV
/// (a body starting with <c>BEGIN:VCALENDAR</c> is iCalendar whatever its type).</param>
/// <param name="Confirm">The <see cref="MeetingImportResultDto.Fingerprint"/> of the dry run whose impact the process owner accepts.</param>
public sealed record ImportMeetingsCommand(string OrganisationId, int Year, string? ContentType, string Text, bool DryRun, string? Confirm = null);

/// <summary>Undo the current import of a year: re-import the calendar in effect before it (version 0: the organisation file's meetings).</summary>
public sealed record UndoMeetingImportCommand(string OrganisationId, int Year, bool DryRun, string? Confirm = null);

/// <summary>
/// The process owner imports the sammanträdesplan of a calendar year (CSV or iCalendar, see <see cref="MeetingFileParser"/>).
/// Everything is validated before anything is stored; one problem refuses the whole file (400 naming each place). The
/// import replaces any earlier import of the same year and, for the bodies it names, the file's meetings of the year.
/// </summary>
/// <remarks>
/// <para>An import cannot break a running cycle. Its impact is the real re-plan of every running cycle of the
/// organisation against the calendar as it would be (<see cref="RescheduleStepHandler.ReplanForCalendarAsync"/>, the path
/// of Flytta), run in a transaction that a dry run rolls back. Saving repeats it: when it moves dates, the caller must
/// confirm the impact with the dry run's fingerprint (400 <c>confirm</c> without it, 409 when the impact has changed
/// since); when a step of a running cycle could no longer be given a date, the import is refused (409 naming the steps).
/// The moves are then saved with the import, journalled per step, with fresh timers.</para>
/// <para>Every save is a version (<see cref="MeetingImportVersionEntity"/>); <see cref="UndoAsync"/> re-imports the calendar
/// in effect before the current one through the same impact and confirmation; undoing again walks further back.</para>
/// </remarks>
public sealed class ImportMeetingsHandler(AnnualCycleDbContext db, IWorkflowCatalog catalog, TimeProvider clock, StockholmTime zone, RescheduleStepHandler reschedule, TimerScheduler scheduler)
{
    private sealed record StoredMeeting(string BodyId, DateOnly Date, string? Title);

    public async Task<MeetingImportResultDto> HandleAsync(Actor actor, ImportMeetingsCommand command, CancellationToken ct = default)
    {
        var organisation = catalog.FindOrganisation(command.OrganisationId) ?? throw new NotFoundException($"No organisation {command.OrganisationId}.");
        var authority = StepAuthorization.RequireProcessOwner(actor, organisation.Id);
        ValidateYear(command.Year);
        var (meetings, problems) = MeetingFileParser.Parse(command.ContentType, command.Text, organisation, command.Year, zone);
        if (problems.Count > 0)
        {
            throw new InputException("file", string.Join("; ", problems.Take(50)) + (problems.Count > 50 ? $"; … {problems.Count - 50} till" : ""));
        }

        var duplicate = meetings.GroupBy(m => (m.BodyId, m.Date)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InputException("file", $"{duplicate.Last().Where}: {duplicate.Key.BodyId} har redan ett sammanträde {duplicate.Key.Date:yyyy-MM-dd} ({duplicate.First().Where})");
        }

        var stored = meetings.Select(m => new StoredMeeting(m.BodyId, m.Date, m.Title)).ToList();
        return await SaveAsync(actor, authority, organisation, command.Year, stored, "import", null, command.DryRun, command.Confirm, ct);
    }

    public async Task<MeetingImportResultDto> UndoAsync(Actor actor, UndoMeetingImportCommand command, CancellationToken ct = default)
    {
        var organisation = catalog.FindOrganisation(command.OrganisationId) ?? throw new NotFoundException($"No organisation {command.OrganisationId}.");
        var authority = StepAuthorization.RequireProcessOwner(actor, organisation.Id);
        ValidateYear(command.Year);
        var versions = await db.MeetingImportVersions.AsNoTracking()
            .Where(v => v.OrganisationId == organisation.Id && v.Year == command.Year)
            .ToDictionaryAsync(v => v.Version, ct);
        // Undo walks back: the calendar in effect is that of a version (an undo's is the version it restored), and undo
        // restores the calendar that was in effect before that version was saved; 0 is the organisation file's.
        int InEffect(int version) => version == 0 ? 0 : versions[version].Kind == "undo" ? versions[version].RestoresVersion ?? 0 : version;
        var current = versions.Count == 0 ? 0 : InEffect(versions.Keys.Max());
        if (current == 0)
        {
            throw new ConflictException(versions.Count == 0
                ? $"Det finns ingen sparad inläsning av sammanträdesplanen {command.Year} att ångra."
                : $"Sammanträdesplanen {command.Year} är redan organisationsfilens; det finns ingen inläsning kvar att ångra.");
        }

        var restores = InEffect(current - 1);
        var meetings = restores == 0 ? [] : JsonSerializer.Deserialize<List<StoredMeeting>>(versions[restores].MeetingsJson) ?? [];
        return await SaveAsync(actor, authority, organisation, command.Year, meetings, "undo", restores, command.DryRun, command.Confirm, ct);
    }

    private static void ValidateYear(int year)
    {
        if (year is < 2000 or > 2100)
        {
            throw new InputException("year", "must be between 2000 and 2100");
        }
    }

    private async Task<MeetingImportResultDto> SaveAsync(Actor actor, StepAuthorization.Authority authority, Organisation organisation, int year,
        List<StoredMeeting> meetings, string kind, int? restores, bool dryRun, string? confirm, CancellationToken ct)
    {
        var bodies = meetings.Select(m => m.BodyId).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var dtos = meetings.OrderBy(m => m.Date).ThenBy(m => m.BodyId, StringComparer.Ordinal)
            .Select(m => new MeetingDto(m.BodyId, organisation.FindBody(m.BodyId)?.Name ?? m.BodyId, m.Date, m.Title, "import"))
            .ToList();
        if (dryRun)
        {
            // The real computation in a transaction that is rolled back: what the dry run shows is what saving does.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var (impact, fingerprint, refused, _) = await ApplyAsync(new EngineWork(db, clock), actor, authority, organisation, year, meetings, kind, restores, ct);
                return new MeetingImportResultDto(organisation.Id, year, true, bodies, dtos, null, impact, fingerprint, impact.Any(c => c.Steps.Count > 0), refused, restores);
            }
            finally
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }

        var result = await EngineWork.RunAsync(db, clock, async work =>
        {
            var (impact, fingerprint, refused, version) = await ApplyAsync(work, actor, authority, organisation, year, meetings, kind, restores, ct);
            if (refused is not null)
            {
                throw new ConflictException(refused);
            }

            var moves = impact.Sum(c => c.Steps.Count);
            if (moves > 0 && string.IsNullOrWhiteSpace(confirm))
            {
                throw new InputException("confirm", $"sammanträdesplanen flyttar datum för {moves} steg i pågående cykler ({string.Join(", ", impact.Where(c => c.Steps.Count > 0).Select(c => c.CycleName))}); gör en provkörning (dryRun=true), granska påverkan och bekräfta den med confirm=<fingerprint från provkörningen>");
            }

            if (moves > 0 && !string.Equals(confirm?.Trim(), fingerprint, StringComparison.Ordinal))
            {
                throw new ConflictException("Påverkan på de pågående cyklerna är inte längre den som bekräftades (en cykel har ändrats sedan provkörningen, eller filen är en annan). Gör en ny provkörning och bekräfta den.");
            }

            return new MeetingImportResultDto(organisation.Id, year, false, bodies, dtos, version, impact, fingerprint, false, null, restores);
        }, () => Task.FromResult<Exception>(new ConflictException("En pågående cykel ändrades samtidigt; gör en ny provkörning och bekräfta den.")), ct);

        await scheduler.EnsureScheduledAsync(ct);
        return result;
    }

    /// <summary>
    /// In the caller's transaction: makes <paramref name="meetings"/> the year's imported meetings, records the version,
    /// re-plans every running cycle of the organisation through the reschedule path and describes what moved.
    /// </summary>
    private async Task<(List<CycleImpactDto> Impact, string Fingerprint, string? Refused, int Version)> ApplyAsync(
        EngineWork work, Actor actor, StepAuthorization.Authority authority, Organisation organisation, int year,
        List<StoredMeeting> meetings, string kind, int? restores, CancellationToken ct)
    {
        await work.LockAsync(ct);
        var version = 1 + (await db.MeetingImportVersions.Where(v => v.OrganisationId == organisation.Id && v.Year == year).MaxAsync(v => (int?)v.Version, ct) ?? 0);
        await db.ImportedMeetings.Where(m => m.OrganisationId == organisation.Id && m.Year == year).ExecuteDeleteAsync(ct);
        var entry = MeetingImportVersionEntity.Saved(organisation.Id, year, version, kind, restores, JsonSerializer.Serialize(meetings), meetings.Count, authority.At(work.Now));
        db.MeetingImportVersions.Add(entry);
        db.ImportedMeetings.AddRange(meetings.Select(m => entry.Effective(m.BodyId, m.Date, m.Title)));
        // The planner reads the imported meetings from the database: they must be written (in this transaction) first.
        await db.SaveChangesAsync(ct);

        var cause = kind == "undo"
            ? $"follows the sammanträdesplan {year}, version {version} (undo: restores version {restores})"
            : $"follows the sammanträdesplan {year}, version {version}";
        var cycles = await db.Cycles.Where(c => c.OrganisationId == organisation.Id && c.Status == CycleStatus.Running)
            .OrderBy(c => c.Year).ThenBy(c => c.Name).ToListAsync(ct);
        var impact = new List<CycleImpactDto>();
        var fingerprint = new StringBuilder($"{organisation.Id}|{year}|");
        foreach (var m in meetings.OrderBy(m => m.Date).ThenBy(m => m.BodyId, StringComparer.Ordinal))
        {
            fingerprint.Append(CultureInfo.InvariantCulture, $"{m.BodyId},{m.Date:yyyy-MM-dd},{m.Title};");
        }

        var refusals = new List<string>();
        foreach (var cycle in cycles)
        {
            fingerprint.Append(CultureInfo.InvariantCulture, $"|{cycle.Id}@{cycle.Version}");
            var replanned = await reschedule.ReplanForCalendarAsync(work, cycle, authority, actor.UserId, cause, ct);
            var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycle.Id).ToDictionaryAsync(s => s.Key, StringComparer.Ordinal, ct);
            var lines = new List<StepImpactDto>();
            foreach (var group in replanned.Moved.GroupBy(m => m.Key))
            {
                var step = steps[group.Key];
                var opens = group.FirstOrDefault(m => m.Field == "opens");
                var due = group.FirstOrDefault(m => m.Field == "due");
                DateOnly? Local(DateTime? utc) => utc is { } u ? zone.LocalDate(u) : null;
                var (oldOpens, newOpens, oldDue, newDue) = (Local(opens?.OldUtc), Local(opens?.NewUtc), Local(due?.OldUtc), Local(due?.NewUtc));
                var changes = new List<string>();
                if (oldDue is { } od && newDue is { } nd)
                {
                    changes.Add($"sista dag {od:yyyy-MM-dd} → {nd:yyyy-MM-dd}");
                }

                if (oldOpens is { } oo && newOpens is { } no)
                {
                    changes.Add($"öppnar {oo:yyyy-MM-dd} → {no:yyyy-MM-dd}");
                }

                if (changes.Count == 0)
                {
                    // Only the time of day moved (a definition's time): say so rather than show equal dates.
                    changes.Add("tiden flyttas");
                }

                var bodyName = organisation.FindBody(step.BodyId)?.Name ?? step.BodyId;
                lines.Add(new StepImpactDto(step.Key, step.Title, step.BodyId, bodyName, "moved", oldOpens, newOpens, oldDue, newDue, null,
                    $"{step.Title} ({bodyName}): {string.Join("; ", changes)}"));
            }

            foreach (var u in replanned.Unresolved)
            {
                var step = steps[u.Key];
                var bodyName = organisation.FindBody(step.BodyId)?.Name ?? step.BodyId;
                var oldDue = zone.LocalDate(step.DueAtUtc);
                lines.Add(new StepImpactDto(step.Key, step.Title, step.BodyId, bodyName, "unresolved", zone.LocalDate(step.OpensAtUtc), null, oldDue, null, u.Problem,
                    $"{step.Title} ({bodyName}): sista dag {oldDue:yyyy-MM-dd} → kan inte längre bestämmas: {u.Problem}"));
            }

            lines = lines.OrderBy(l => l.OldDue).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
            foreach (var l in lines)
            {
                fingerprint.Append(CultureInfo.InvariantCulture, $";{l.Key}:{l.Change}:{l.OldOpens}>{l.NewOpens}:{l.OldDue}>{l.NewDue}");
            }

            if (replanned.Unresolved.Count > 0)
            {
                refusals.Add($"{cycle.Name}: {string.Join("; ", lines.Where(l => l.Change == "unresolved").Select(l => l.Text))}");
            }

            impact.Add(new CycleImpactDto(cycle.Id, cycle.Name, cycle.Year, lines));
        }

        entry.MovedDates = impact.Sum(c => c.Steps.Count(s => s.Change == "moved"));
        var bodies = string.Join(", ", meetings.Select(m => m.BodyId).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal));
        work.Journal(null, authority.UserId, authority.OnBehalfOfUserId, "MeetingsImported", null, null, null,
            kind == "undo"
                ? $"undo: version {version} restores version {restores} of {year} ({meetings.Count} meetings); {entry.MovedDates} steps moved"
                : $"version {version}: {meetings.Count} meetings of {year} for {bodies}; {entry.MovedDates} steps moved",
            $"{organisation.Id}/{year}");
        var refused = refusals.Count == 0
            ? null
            : $"Sammanträdesplanen sparas inte: pågående cykler skulle få steg utan datum. {string.Join(" ", refusals)}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString())))[..16];
        return (impact, hash, refused, version);
    }
}

/// <summary>The saved versions of a year's sammanträdesplan, newest first (process owner).</summary>
public sealed class MeetingImportVersionsQuery(AnnualCycleDbContext db, IWorkflowCatalog catalog)
{
    public async Task<IReadOnlyList<MeetingImportVersionDto>> HandleAsync(Actor actor, string organisationId, int year, CancellationToken ct = default)
    {
        var organisation = catalog.FindOrganisation(organisationId) ?? throw new NotFoundException($"No organisation {organisationId}.");
        StepAuthorization.RequireProcessOwner(actor, organisation.Id);
        var versions = await db.MeetingImportVersions.AsNoTracking()
            .Where(v => v.OrganisationId == organisation.Id && v.Year == year)
            .OrderByDescending(v => v.Version).ToListAsync(ct);
        var ids = versions.Select(v => v.ImportedByUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, ct);
        return versions.Select((v, i) => new MeetingImportVersionDto(v.Version, v.Kind, v.RestoresVersion, v.ImportedAtUtc,
            names.GetValueOrDefault(v.ImportedByUserId, v.ImportedByUserId), v.MeetingCount, v.MovedDates, i == 0)).ToList();
    }
}

/// <summary>The effective sammanträdesplan of a calendar year: imported meetings where there are some, else the file's.</summary>
public sealed class MeetingCalendarQuery(AnnualCycleDbContext db, IWorkflowCatalog catalog)
{
    public async Task<MeetingCalendarDto> HandleAsync(Actor actor, string organisationId, int year, CancellationToken ct = default)
    {
        var loaded = catalog.FindOrganisation(organisationId);
        if (loaded is null || !Cycles.Queries.Visibility.Organisations(actor).Contains(loaded.Id))
        {
            throw new NotFoundException($"No organisation {organisationId}.");
        }

        var imported = await db.ImportedMeetings.AsNoTracking().Where(m => m.OrganisationId == loaded.Id).ToListAsync(ct);
        var organisation = MeetingCalendar.Apply(loaded, imported);
        var meetings = organisation.Meetings.Where(m => m.Date.Year == year)
            .Select(m => new MeetingDto(m.BodyId, organisation.FindBody(m.BodyId)?.Name ?? m.BodyId, m.Date,
                m.Source is { } s && s.StartsWith("import", StringComparison.Ordinal) ? (s.Length > 8 ? s[8..] : null) : null,
                m.Source is { } src && src.StartsWith("import", StringComparison.Ordinal) ? "import" : "file"))
            .ToList();
        return new MeetingCalendarDto(organisation.Id, year, imported.Any(m => m.Year == year), meetings);
    }
}
