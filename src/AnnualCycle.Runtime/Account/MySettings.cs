using AnnualCycle.Data.Calendar;
using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Runtime.Account;

/// <param name="EmailDelivery">"Immediate" or "WeeklyDigest".</param>
/// <param name="CalendarActiveSinceUtc">When the live personal calendar subscription was made (its address cannot be shown again: only its hash is stored); null when there is none.</param>
public sealed record MySettingsDto(string Email, string Language, string EmailDelivery, DateTime? CalendarActiveSinceUtc);

/// <param name="Language">"sv" or "en"; null leaves it.</param>
/// <param name="EmailDelivery">"Immediate" or "WeeklyDigest" (overdue notices and escalations are always immediate); null leaves it.</param>
public sealed record UpdateMySettingsCommand(string? Language, string? EmailDelivery);

/// <summary>
/// The signed-in person's own settings: language and email delivery, and whether a calendar subscription is live.
/// <c>/api/v1/me</c> and the settings page (<c>/konto/installningar</c>) both call this handler.
/// </summary>
public sealed class MySettingsHandler(UserManager<AppUser> users, AnnualCycleDbContext db)
{
    public async Task<MySettingsDto> GetAsync(Actor actor, CancellationToken ct = default) =>
        await DtoAsync(await UserAsync(actor), ct);

    /// <summary>Both fields are validated before either is saved: a bad field changes nothing (400 naming it).</summary>
    public async Task<MySettingsDto> UpdateAsync(Actor actor, UpdateMySettingsCommand command, CancellationToken ct = default)
    {
        var user = await UserAsync(actor);
        var language = command.Language is null ? null : PeopleInput.Language("language", command.Language);
        var delivery = command.EmailDelivery is null ? (EmailDelivery?)null : ParseDelivery(command.EmailDelivery);
        if (language is not null || delivery is not null)
        {
            user.Language = language ?? user.Language;
            user.EmailDelivery = delivery ?? user.EmailDelivery;
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded)
            {
                throw new ConflictException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }
        }

        return await DtoAsync(user, ct);
    }

    private async Task<AppUser> UserAsync(Actor actor) =>
        await users.FindByIdAsync(actor.UserId) ?? throw new ForbiddenActionException("The signed-in user is unknown.");

    private async Task<MySettingsDto> DtoAsync(AppUser user, CancellationToken ct)
    {
        var since = await db.CalendarTokens.AsNoTracking()
            .Where(t => t.OwnerKind == CalendarOwnerKind.User && t.OwnerId == user.Id && t.OrganisationId == null && t.RevokedAtUtc == null)
            .OrderByDescending(t => t.CreatedAtUtc).Select(t => (DateTime?)t.CreatedAtUtc).FirstOrDefaultAsync(ct);
        return new MySettingsDto(user.Email ?? "", user.Language, user.EmailDelivery.ToString(), since);
    }

    private static EmailDelivery ParseDelivery(string value) =>
        Enum.TryParse<EmailDelivery>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new InputException("emailDelivery", "must be \"Immediate\" or \"WeeklyDigest\"");
}
