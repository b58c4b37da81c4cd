using AnnualCycle.Data;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Tests.Runtime.Demo;

public sealed class DemoSeederTests
{
    [Fact]
    public async Task Seed_IsIdempotent_WhenRunTwice()
    {
        await using var services = await PeopleServices.BuildAsync();

        Assert.Equal(DemoSeedOutcome.Seeded, await DemoSeeder.SeedIfEnabledAsync(services));
        var (users, grants) = await CountAsync(services);
        Assert.Equal(DemoSeedOutcome.Seeded, await DemoSeeder.SeedIfEnabledAsync(services));

        Assert.Equal((users, grants), await CountAsync(services));
        Assert.Equal(DemoUsers.All.Count, users);
        Assert.Equal(DemoUsers.All.Sum(u => u.Grants.Count), grants);
    }

    [Fact]
    public async Task Seed_IsOffByDefault_InPostgreSqlMode()
    {
        // The seeder decides before touching the database, so no server is needed to prove the default.
        await using var services = await PeopleServices.BuildAsync(
            migrate: false,
            settings: [("Database:Provider", "PostgreSql"), ("Database:ConnectionString", "Host=127.0.0.1;Port=1;Username=nobody")]);

        Assert.Equal(DemoSeedOutcome.Disabled, await DemoSeeder.SeedIfEnabledAsync(services));
    }

    [Fact]
    public async Task Seed_IsOff_WhenConfiguredFalseInZeroSetupMode()
    {
        await using var services = await PeopleServices.BuildAsync(settings: [("Demo:Seed", "false")]);

        Assert.Equal(DemoSeedOutcome.Disabled, await DemoSeeder.SeedIfEnabledAsync(services));
        Assert.Equal((0, 0), await CountAsync(services));
    }

    [Fact]
    public async Task Seed_IsRefusedWithAnError_InProduction_EvenWhenConfiguredOn()
    {
        var logs = new ListLoggerProvider();
        await using var services = await PeopleServices.BuildAsync(environment: "Production", logs: logs, settings: [("Demo:Seed", "true")]);

        var outcome = await DemoSeeder.SeedIfEnabledAsync(services);

        Assert.Equal(DemoSeedOutcome.RefusedInProduction, outcome);
        Assert.Equal((0, 0), await CountAsync(services));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Demo:Seed", StringComparison.Ordinal));
    }

    [Fact]
    public void DemoUsers_GiveEachCommitteeAContributorADirectorAndASecretary_AllDifferentPeople()
    {
        foreach (var (prefix, committee, administration, _) in DemoUsers.Committees)
        {
            Assert.Contains(DemoUsers.All, u => u.Email == $"{prefix}.handlaggare@demo.local" && u.Grants.Single() == new AnnualCycle.Domain.People.RoleGrant(DemoUsers.OrganisationId, committee, "contributor"));
            Assert.Contains(DemoUsers.All, u => u.Email == $"{prefix}.direktor@demo.local" && u.Grants.Single() == new AnnualCycle.Domain.People.RoleGrant(DemoUsers.OrganisationId, administration, "forvaltningsdirektor"));
            Assert.Contains(DemoUsers.All, u => u.Email == $"{prefix}.sekreterare@demo.local" && u.Grants.Single() == new AnnualCycle.Domain.People.RoleGrant(DemoUsers.OrganisationId, committee, "namnd"));
        }

        Assert.Equal(DemoUsers.All.Count, DemoUsers.All.Select(u => u.Email).Distinct().Count());
    }

    [Fact]
    public void DemoUsers_CoverEveryNamndAndRegionstyrelsen_WithTheForvaltningServingIt()
    {
        var organisation = AnnualCycle.Domain.Definitions.WorkflowCatalog.Load(AnnualCycle.Tests.Domain.Definitions.WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm)
            .FindOrganisation(DemoUsers.OrganisationId)!;

        Assert.Equal(
            organisation.CommitteesAndBoard.Select(b => (b.Id, organisation.AdministrationOf(b.Id)!.Id)),
            DemoUsers.Committees.Select(c => (c.Committee, c.Administration)));
        Assert.Equal("RS", DemoUsers.Committees[0].Committee);
    }

    private static async Task<(int Users, int Grants)> CountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        return (await db.Users.CountAsync(), await db.RoleGrants.CountAsync());
    }
}
