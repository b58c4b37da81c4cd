using System.Security.Claims;
using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Runtime.People;

/// <summary>
/// A deputy named from 2027-03-01 to 2027-03-10 (Stockholm dates, both included). Boundaries:
/// 2027-02-28 22:59Z is still 23:59 on the 28th in Stockholm (outside); 23:00Z is 00:00 on 1 March (inside);
/// 2027-03-10 22:59Z is 23:59 on the 10th (inside); 23:00Z is the 11th (outside).
/// </summary>
public sealed class ActorAccessorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2027-02-28T22:59:00Z", false)]
    [InlineData("2027-02-28T23:00:00Z", true)]
    [InlineData("2027-03-05T12:00:00Z", true)]
    [InlineData("2027-03-10T22:59:00Z", true)]
    [InlineData("2027-03-10T23:00:00Z", false)]
    public async Task Deputy_HoldsThePrincipalsGrants_OnlyWithinTheDateRange(string now, bool expected)
    {
        await using var services = await PeopleServices.BuildAsync(clock: _clock);
        var (principal, deputy) = await ArrangeDeputyAsync(services);
        _clock.SetUtcNow(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        await using var scope = services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetByUserIdAsync(deputy);

        Assert.Equal("contributor", Assert.Single(actor.Grants).Role);
        if (expected)
        {
            var delegated = Assert.Single(actor.Delegated);
            Assert.Equal(new AnnualCycle.Domain.People.RoleGrant("region-vasterbotten", "HSF", "forvaltningsdirektor"), delegated.Grant);
            Assert.Equal(principal, delegated.OnBehalfOfUserId);
            Assert.Equal("Direktören", delegated.OnBehalfOfName);
        }
        else
        {
            Assert.Empty(actor.Delegated);
        }
    }

    [Fact]
    public async Task GetAsync_ReadsTheUserFromTheNameIdentifierClaim()
    {
        await using var services = await PeopleServices.BuildAsync(clock: _clock);
        var (principal, _) = await ArrangeDeputyAsync(services);
        await using var scope = services.CreateAsyncScope();
        var claims = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, principal)], "test"));

        var actor = await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetAsync(claims);

        Assert.Equal("Direktören", actor.DisplayName);
        Assert.Equal("forvaltningsdirektor", Assert.Single(actor.Grants).Role);
    }

    [Fact]
    public async Task GetAsync_ThrowsForbidden_ForAnUnknownUserOrAnAnonymousPrincipal()
    {
        await using var services = await PeopleServices.BuildAsync(clock: _clock);
        await using var scope = services.CreateAsyncScope();
        var actors = scope.ServiceProvider.GetRequiredService<IActorAccessor>();

        await Assert.ThrowsAsync<ForbiddenActionException>(() => actors.GetByUserIdAsync("no-such-user"));
        await Assert.ThrowsAsync<ForbiddenActionException>(() => actors.GetAsync(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public async Task GetByUserIdAsync_ThrowsForbidden_ForALockedUser_UntilTheLockEnds()
    {
        await using var services = await PeopleServices.BuildAsync(clock: _clock);
        var (principal, _) = await ArrangeDeputyAsync(services);
        await using (var arrange = services.CreateAsyncScope())
        {
            var users = arrange.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(principal))!, _clock.GetUtcNow().AddMinutes(15));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await Assert.ThrowsAsync<ForbiddenActionException>(() => scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetByUserIdAsync(principal));
        }

        _clock.Advance(TimeSpan.FromMinutes(16));
        await using (var scope = services.CreateAsyncScope())
        {
            Assert.Equal("Direktören", (await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetByUserIdAsync(principal)).DisplayName);
        }
    }

    [Fact]
    public async Task OneScope_SeesADeputyPeriodEnd_WithinSeconds()
    {
        // A Blazor circuit keeps one scope for hours: the accessor must not hold on to yesterday's grants.
        await using var services = await PeopleServices.BuildAsync(clock: _clock);
        var (_, deputy) = await ArrangeDeputyAsync(services);
        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 10, 22, 59, 0, TimeSpan.Zero));
        await using var scope = services.CreateAsyncScope();
        var actors = scope.ServiceProvider.GetRequiredService<IActorAccessor>();

        Assert.Single((await actors.GetByUserIdAsync(deputy)).Delegated);
        _clock.Advance(TimeSpan.FromMinutes(2)); // 00:01 on 11 March in Stockholm

        Assert.Empty((await actors.GetByUserIdAsync(deputy)).Delegated);
    }

    private static async Task<(string Principal, string Deputy)> ArrangeDeputyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var principal = new AppUser { UserName = "direktor@test.local", Email = "direktor@test.local", DisplayName = "Direktören" };
        var deputy = new AppUser { UserName = "ersattare@test.local", Email = "ersattare@test.local", DisplayName = "Ersättaren" };
        Assert.True((await users.CreateAsync(principal, "ett-langt-losenord")).Succeeded);
        Assert.True((await users.CreateAsync(deputy, "ett-langt-losenord")).Succeeded);
        db.RoleGrants.Add(new RoleGrantEntity { UserId = principal.Id, OrganisationId = "region-vasterbotten", BodyId = "HSF", Role = "forvaltningsdirektor" });
        db.RoleGrants.Add(new RoleGrantEntity { UserId = deputy.Id, OrganisationId = "region-vasterbotten", BodyId = "HSN", Role = "contributor" });
        db.Deputies.Add(new DeputyEntity(principal.Id, deputy.Id, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 10)));
        await db.SaveChangesAsync();
        return (principal.Id, deputy.Id);
    }
}
