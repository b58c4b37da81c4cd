using AnnualCycle.Runtime.Calendar;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Web.Calendar;

/// <summary>
/// A calendar subscription. <see cref="Url"/> is the absolute feed URL and is only given when the token was made by
/// this call (the first GET, or a renew): the database keeps a hash of the token, never the token, so nobody can
/// show it again. Lost it? Renew.
/// </summary>
public sealed record CalendarSubscriptionResponse(string? Url, DateTime CreatedAtUtc, bool Created);

/// <summary>
/// Calendar subscriptions: the anonymous feed <c>/calendar/{token}.ics</c> (the token is the secret) and the APIs
/// that make, renew and revoke the tokens of the signed-in user and, for the process owner or an administrator
/// of the organisation, of a body.
/// </summary>
public static class CalendarApi
{
    public const string FeedContentType = "text/calendar; charset=utf-8";

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/calendar/{token}.ics", FeedAsync)
            .AllowAnonymous()
            .WithTags("Calendar").WithName("CalendarFeed")
            .WithSummary("The iCalendar feed of a subscription token: deadlines and meetings. 404 for an unknown or revoked token.");

        var me = app.MapGroup("/api/v1/me/calendar").WithTags("Calendar").RequireAuthorization();
        me.MapGet("", async (HttpContext http, [FromServices] IActorAccessor actors, CalendarTokens tokens, IOptions<CalendarOptions> options, CancellationToken ct) =>
                Response(await tokens.GetOrCreateAsync(await MeAsync(http, actors, ct), ct), options.Value))
            .WithName("GetMyCalendar").WithSummary("My feed; the first call makes the token and returns its URL (shown only then).");
        me.MapPost("/renew", async (HttpContext http, [FromServices] IActorAccessor actors, CalendarTokens tokens, IOptions<CalendarOptions> options, CancellationToken ct) =>
                Response(await tokens.RenewAsync(await MeAsync(http, actors, ct), ct), options.Value))
            .WithName("RenewMyCalendar").WithSummary("A new feed URL; the old one stops working.");
        me.MapDelete("", async (HttpContext http, [FromServices] IActorAccessor actors, CalendarTokens tokens, CancellationToken ct) =>
            {
                await tokens.RevokeAsync(await MeAsync(http, actors, ct), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeMyCalendar").WithSummary("Stop my feed URL from working.");

        var bodies = app.MapGroup("/api/v1/bodies/{organisationId}/{bodyId}/calendar").WithTags("Calendar").RequireAuthorization();
        bodies.MapGet("", async (string organisationId, string bodyId, HttpContext http, [FromServices] IActorAccessor actors, IWorkflowCatalog catalog, CalendarTokens tokens, IOptions<CalendarOptions> options, CancellationToken ct) =>
                Response(await tokens.GetOrCreateAsync(await BodyAsync(organisationId, bodyId, http, actors, catalog, ct), ct), options.Value))
            .WithName("GetBodyCalendar").WithSummary("A body's feed (process owner or administrator); the first call makes the token and returns its URL.");
        bodies.MapPost("/renew", async (string organisationId, string bodyId, HttpContext http, [FromServices] IActorAccessor actors, IWorkflowCatalog catalog, CalendarTokens tokens, IOptions<CalendarOptions> options, CancellationToken ct) =>
                Response(await tokens.RenewAsync(await BodyAsync(organisationId, bodyId, http, actors, catalog, ct), ct), options.Value))
            .WithName("RenewBodyCalendar").WithSummary("A new feed URL for the body; the old one stops working.");
        bodies.MapDelete("", async (string organisationId, string bodyId, HttpContext http, [FromServices] IActorAccessor actors, IWorkflowCatalog catalog, CalendarTokens tokens, CancellationToken ct) =>
            {
                await tokens.RevokeAsync(await BodyAsync(organisationId, bodyId, http, actors, catalog, ct), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeBodyCalendar").WithSummary("Stop the body's feed URL from working.");
        return app;
    }

    /// <summary>The feed URL of a raw token: <c>{PublicBaseUrl}/calendar/{token}.ics</c>.</summary>
    public static string FeedUrl(CalendarOptions options, string token) => $"{options.PublicBaseUrl.TrimEnd('/')}/calendar/{token}.ics";

    private static async Task<Results<ContentHttpResult, NotFound>> FeedAsync(string token, HttpContext http, CalendarTokens tokens, CalendarFeed feed, CancellationToken ct)
    {
        var owner = await tokens.ResolveAsync(token, ct);
        var ics = owner is null ? null : await feed.BuildAsync(owner, ct);
        if (ics is null)
        {
            return TypedResults.NotFound();
        }

        // Private: the feed is one person's; five minutes spares the database from clients polling eagerly.
        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Text(ics, FeedContentType);
    }

    private static Ok<CalendarSubscriptionResponse> Response(CalendarSubscription subscription, CalendarOptions options) =>
        TypedResults.Ok(new CalendarSubscriptionResponse(
            subscription.Token is null ? null : FeedUrl(options, subscription.Token),
            subscription.CreatedAtUtc,
            subscription.Token is not null));

    private static async Task<CalendarOwner> MeAsync(HttpContext http, IActorAccessor actors, CancellationToken ct) =>
        CalendarOwner.User((await actors.GetAsync(http.User, ct)).UserId);

    /// <summary>
    /// The process owner of the organisation (own or as a deputy) or an administrator of it (a system administrator
    /// administers every organisation): the same organisations where they appoint deputies. 404 for a body the
    /// organisation does not have.
    /// </summary>
    private static async Task<CalendarOwner> BodyAsync(string organisationId, string bodyId, HttpContext http, IActorAccessor actors, IWorkflowCatalog catalog, CancellationToken ct)
    {
        var actor = await actors.GetAsync(http.User, ct);
        if (!actor.AdministeredOrOwned().Covers(organisationId))
        {
            throw new ForbiddenActionException($"Only the process owner or an administrator of {organisationId} manages its bodies' calendars.");
        }

        var organisation = catalog.FindOrganisation(organisationId) ?? throw new NotFoundException($"No organisation {organisationId}.");
        var body = organisation.FindBody(bodyId) ?? throw new NotFoundException($"No body {bodyId} in {organisationId}.");
        return CalendarOwner.Body(organisation.Id, body.Id);
    }
}
