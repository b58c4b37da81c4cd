using System.Security.Claims;
using AnnualCycle.Data;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.People;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// What a page needs to call the runtime as the signed-in person. A Blazor circuit is one DI scope for hours,
/// so every call gets a scope (and a DbContext) of its own: no stale tracked entities, no two operations on one
/// context. The actor is loaded from the database as the handlers' own (<see cref="IActorAccessor"/>), and reused for
/// <see cref="IActorAccessor.CacheFor"/> as within any scope: a page's layout, its components and its queries render
/// together and share one load instead of each loading the person's grants again.
/// </summary>
public sealed class UiSession(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, ISnackbar snackbar, IWorkflowCatalog catalog, TimeProvider clock, ILogger<UiSession> logger)
{
    private (string? UserId, DateTimeOffset LoadedAt, Task<Actor> Actor)? _actor;

    /// <summary>The actor of the signed-in person, or null when signed out or unknown.</summary>
    public async Task<Actor?> ActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (state.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        try
        {
            return await LoadActorAsync(state.User);
        }
        catch (ForbiddenActionException)
        {
            return null;
        }
    }

    /// <summary>
    /// The signed-in person's actor, loaded once for <see cref="IActorAccessor.CacheFor"/>; callers that render at the
    /// same time share the one load in flight. A load that failed is never reused.
    /// </summary>
    private Task<Actor> LoadActorAsync(ClaimsPrincipal user)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var now = clock.GetUtcNow();
        if (_actor is { } cached && cached.UserId == userId && now >= cached.LoadedAt && now - cached.LoadedAt < IActorAccessor.CacheFor
            && !cached.Actor.IsFaulted && !cached.Actor.IsCanceled)
        {
            return cached.Actor;
        }

        var load = LoadFreshAsync(user);
        _actor = (userId, now, load);
        return load;

        async Task<Actor> LoadFreshAsync(ClaimsPrincipal principal)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetAsync(principal);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the signed-in person in a scope of its own. A refusal from a handler
    /// (conflict, forbidden, bad input, not found), a plan the meeting calendar no longer resolves and a database that
    /// cannot answer right now become a Swedish snackbar and a null result.
    /// </summary>
    public async Task<(bool Ok, T? Value)> RunAsync<T>(Func<IServiceProvider, Actor, Task<T>> work)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var actor = await LoadActorAsync(state.User);
            return (true, await work(scope.ServiceProvider, actor));
        }
        catch (DomainException ex)
        {
            logger.LogInformation("A UI command was refused: {Message}", ex.Message);
            snackbar.Add(Describe(ex), ex is ConflictException or IllegalTransitionException ? Severity.Warning : Severity.Error);
            return (false, default);
        }
        catch (Exception ex) when (AnnualCycle.Web.Problems.DatabaseFailures.Unavailable(ex))
        {
            // As the API's 503: say so and keep the page, rather than ending the circuit.
            logger.LogWarning("A UI command found the database unavailable: {Message}", ex.GetBaseException().Message);
            snackbar.Add(UiText.DatabaseUnavailable, Severity.Error);
            return (false, default);
        }
    }

    /// <summary>A friendly Swedish (or English) sentence for a handler's refusal; the handler's own words follow for detail.</summary>
    public static string Describe(DomainException ex) => ex switch
    {
        PlanUnresolvableException plan => UiText.PlanUnresolvable(plan.Cause),
        ConflictException or IllegalTransitionException => UiText.Conflict,
        ForbiddenActionException => UiText.Forbidden,
        NotFoundException => UiText.Missing,
        InputException input => UiText.BadInput(input.Field, input.Problem),
        _ => ex.Message,
    };

    public void Success(string message) => snackbar.Add(message, Severity.Success);

    public void Error(string message) => snackbar.Add(message, Severity.Error);

    public Organisation? Organisation(string organisationId) => catalog.Organisations.FirstOrDefault(o => string.Equals(o.Id, organisationId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The body's name from the organisation file (the id when the file does not name it).</summary>
    public string BodyName(string organisationId, string? bodyId) =>
        bodyId is null ? Organisation(organisationId)?.Name ?? organisationId : Organisation(organisationId)?.FindBody(bodyId)?.Name ?? bodyId;

    /// <summary>Display names of users by id (unknown ids, e.g. "system", map to themselves).</summary>
    public async Task<IReadOnlyDictionary<string, string>> UserNamesAsync(IEnumerable<string?> ids)
    {
        var wanted = ids.Where(i => !string.IsNullOrEmpty(i)).Select(i => i!).Distinct().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var names = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        foreach (var id in wanted.Where(i => !names.ContainsKey(i)))
        {
            names[id] = id == Actor.System.UserId ? UiText.AppName : id;
        }

        return names;
    }
}
