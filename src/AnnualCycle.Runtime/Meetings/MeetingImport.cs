using AnnualCycle.Data;
using AnnualCycle.Data.Meetings;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Meetings;

/// <param name="Source"><c>import</c> for an imported meeting, <c>file</c> for one from <c>workflows/organisations/</c>.</param>
public sealed record MeetingDto(string BodyId, string BodyName, DateOnly Date, string? Title, string Source);

/// <param name="Imported">True when an import replaced (some of) the file's meetings of this year.</param>
public sealed record MeetingCalendarDto(string OrganisationId, int Year, bool Imported, IReadOnlyList<MeetingDto> Meetings);

/// <param name="DryRun">True when nothing was stored: <see cref="Meetings"/> is what would be imported.</param>
/// <param name="ReplacedBodies">The bodies whose meetings of the year the import replaces.</param>
public sealed record MeetingImportResultDto(string OrganisationId, int Year, bool DryRun, IReadOnlyList<string> ReplacedBodies, IReadOnlyList<MeetingDto> Meetings);

/// <param name="ContentType">The request's content type: <c>text/calendar</c> is read as iCalendar, anything else as CSV
/// (a body starting with <c>BEGIN:VCALENDAR</c> is iCalendar whatever its type).</param>
public sealed record ImportMeetingsCommand(string OrganisationId, int Year, string? ContentType, string Text, bool DryRun);

/// <summary>
/// The process owner imports the sammanträdesplan of a calendar year (CSV or iCalendar, see <see cref="MeetingFileParser"/>).
/// Everything is validated before anything is stored; one problem refuses the whole file (400 naming each place). The
/// import replaces any earlier import of the same year and, for the bodies it names, the file's meetings of the year.
/// Cycles started (or re-planned) afterwards are planned against it; existing cycles keep their dates until rescheduled.
/// </summary>
public sealed class ImportMeetingsHandler(AnnualCycleDbContext db, IWorkflowCatalog catalog, TimeProvider clock, StockholmTime zone)
{
    public async Task<MeetingImportResultDto> HandleAsync(Actor actor, ImportMeetingsCommand command, CancellationToken ct = default)
    {
        var organisation = catalog.FindOrganisation(command.OrganisationId) ?? throw new NotFoundException($"No organisation {command.OrganisationId}.");
        var authority = StepAuthorization.RequireProcessOwner(actor, organisation.Id);
        if (command.Year is < 2000 or > 2100)
        {
            throw new InputException("year", "must be between 2000 and 2100");
        }

        var (meetings, problems) = MeetingFileParser.Parse(command.ContentType, command.Text, organisation, command.Year, zone);
        if (problems.Count > 0)
        {
            throw new InputException("file", string.Join("; ", problems.Take(50)) + (problems.Count > 50 ? $"; … {problems.Count - 50} more" : ""));
        }

        var duplicate = meetings.GroupBy(m => (m.BodyId, m.Date)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InputException("file", $"{duplicate.Last().Where}: {duplicate.Key.BodyId} already has a meeting on {duplicate.Key.Date:yyyy-MM-dd} ({duplicate.First().Where})");
        }

        var bodies = meetings.Select(m => m.BodyId).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var dtos = meetings.OrderBy(m => m.Date).ThenBy(m => m.BodyId, StringComparer.Ordinal)
            .Select(m => new MeetingDto(m.BodyId, organisation.FindBody(m.BodyId)?.Name ?? m.BodyId, m.Date, m.Title, "import"))
            .ToList();
        if (command.DryRun)
        {
            return new MeetingImportResultDto(organisation.Id, command.Year, true, bodies, dtos);
        }

        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(ct);
            await db.ImportedMeetings.Where(m => m.OrganisationId == organisation.Id && m.Year == command.Year).ExecuteDeleteAsync(ct);
            db.ImportedMeetings.AddRange(meetings.Select(m => new ImportedMeetingEntity
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation.Id,
                Year = command.Year,
                BodyId = m.BodyId,
                Date = m.Date,
                Title = m.Title,
                ImportedAtUtc = work.Now,
                ImportedByUserId = actor.UserId,
            }));
            work.Journal(null, actor.UserId, authority.OnBehalfOfUserId, "MeetingsImported", null, null, null,
                $"{meetings.Count} meetings of {command.Year} for {string.Join(", ", bodies)}", $"{organisation.Id}/{command.Year}");
            return true;
        }, null, ct);

        return new MeetingImportResultDto(organisation.Id, command.Year, false, bodies, dtos);
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
