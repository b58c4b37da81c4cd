using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.People;

/// <summary>
/// A second organisation beside the demo's Region Västerbotten: Region Norrbotten (shipped in <c>workflows/</c>) with
/// its own administrator, process owner and contributor; a person with roles in both; and a system administrator
/// (the grant the CLI verb <c>grant-system-admin</c> writes). Every password is the demo password.
/// </summary>
public static class TwoOrganisations
{
    public const string Vasterbotten = DemoUsers.OrganisationId;
    public const string Norrbotten = "region-norrbotten";

    public const string NorrbottenAdmin = "nb.admin@test.local";
    public const string NorrbottenOwner = "nb.processagare@test.local";
    public const string NorrbottenContributor = "nb.handlaggare@test.local";
    public const string BothOrganisations = "bada@test.local";
    public const string SystemAdmin = "sysadmin@test.local";

    public static readonly IReadOnlyList<(string Email, string Name, RoleGrant[] Grants)> Users =
    [
        (NorrbottenAdmin, "Norrbottens administratör", [new(Norrbotten, null, Roles.Administrator)]),
        (NorrbottenOwner, "Norrbottens processägare", [new(Norrbotten, null, Roles.ProcessOwner)]),
        (NorrbottenContributor, "Norrbottens handläggare (RUN)", [new(Norrbotten, "RUN", Roles.Contributor)]),
        (BothOrganisations, "Handläggare i båda regionerna", [new(Vasterbotten, "HSN", Roles.Contributor), new(Norrbotten, "RUN", Roles.Contributor)]),
        (SystemAdmin, "Systemadministratör (CLI)", [new("*", null, "system-administrator")]),
    ];

    /// <summary>Adds the users above (idempotent), straight into the database as a migration or the CLI would.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        foreach (var (email, name, grants) in Users)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
                var created = await users.CreateAsync(user, DemoUsers.Password);
                Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            foreach (var g in grants)
            {
                if (!await db.RoleGrants.AnyAsync(x => x.UserId == user.Id && x.OrganisationId == g.OrganisationId && x.BodyId == g.BodyId && x.Role == g.Role))
                {
                    db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user.Id, OrganisationId = g.OrganisationId, BodyId = g.BodyId, Role = g.Role });
                }
            }

            await db.SaveChangesAsync();
        }
    }

    public static async Task<string> UserIdAsync(WebApplicationFactory<Program> factory, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        return await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).SingleAsync();
    }
}

/// <summary>The SQLite host with the demo and <see cref="TwoOrganisations"/> seeded.</summary>
public sealed class TwoOrganisationsHost : IAsyncLifetime
{
    public AnnualCycleFactory Factory { get; } = AnnualCycleFactory.Sqlite();

    public async Task InitializeAsync()
    {
        Factory.CreateClient().Dispose();
        await TwoOrganisations.SeedAsync(Factory.Services);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
