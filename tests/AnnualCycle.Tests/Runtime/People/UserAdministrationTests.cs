using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.People;

/// <summary>Grants are checked against the organisation file when a workflow catalog is loaded.</summary>
public sealed class UserAdministrationTests
{
    private static readonly Organisation Region = new(
        "region-vasterbotten",
        "Region Västerbotten",
        "Europe/Stockholm",
        [
            new Body("HSN", "Hälso- och sjukvårdsnämnden", BodyKind.Committee, null, [new BodyRole("namnd", "Nämnden")]),
            new Body("HSF", "Hälso- och sjukvårdsförvaltningen", BodyKind.Administration, "HSN", [new BodyRole("forvaltningsdirektor", "Förvaltningsdirektör")]),
        ],
        []);

    [Theory]
    [InlineData("region-vasterbotten", "HSF", "forvaltningsdirektor", null)]
    [InlineData("region-vasterbotten", "hsf", "contributor", null)]
    [InlineData("region-vasterbotten", "HSN", "namnd", null)]
    [InlineData("region-vasterbotten", null, "process-owner", null)]
    [InlineData("region-okand", "HSF", "contributor", "organisationId")]
    [InlineData("region-vasterbotten", "XYZ", "contributor", "bodyId")]
    [InlineData("region-vasterbotten", "HSN", "forvaltningsdirektor", "role")]
    [InlineData("region-vasterbotten", null, "contributor", "bodyId")]
    [InlineData("region-vasterbotten", "HSN", "administrator", "bodyId")]
    [InlineData("region-vasterbotten", "HSN", "contributor\r\n", "role")]
    [InlineData("region-vasterbotten", "HSN", "contri\nbutor", "role")]
    public async Task AddGrant_ChecksTheBodyAndRoleAgainstTheOrganisation(string organisationId, string? bodyId, string role, string? badField)
    {
        await using var services = await PeopleServices.BuildAsync(configure: s => s.AddSingleton<IWorkflowCatalog>(new OneOrganisationCatalog(Region)));
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var user = await admin.CreateAsync(RegionAdmin, new CreateUserCommand("ny@demo.local", "Ny", "sv", "ett-langt-losenord"));

        if (badField is null)
        {
            var grant = await admin.AddGrantAsync(RegionAdmin, user.Id, new GrantCommand(organisationId, bodyId, role));
            Assert.Equal(bodyId?.ToUpperInvariant(), grant.BodyId);
            Assert.Equal([new RoleGrant(Region.Id, null, Roles.Member), grant], (await admin.GetAsync(RegionAdmin, user.Id)).Grants.OrderBy(g => g.Role == Roles.Member ? 0 : 1));
        }
        else
        {
            var error = await Assert.ThrowsAsync<InputException>(() => admin.AddGrantAsync(RegionAdmin, user.Id, new GrantCommand(organisationId, bodyId, role)));
            Assert.Equal(badField, error.Field);
        }
    }

    [Fact]
    public async Task AddGrant_AcceptsAnyBody_WhenNoCatalogIsLoaded()
    {
        await using var services = await PeopleServices.BuildAsync();
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var user = await admin.CreateAsync(AdminOfX, new CreateUserCommand("ny@demo.local", "Ny", null, "ett-langt-losenord"));

        var grant = await admin.AddGrantAsync(AdminOfX, user.Id, new GrantCommand("region-x", "ABC", "contributor"));

        Assert.Equal(new RoleGrant("region-x", "ABC", "contributor"), grant);
        Assert.Equal("sv", user.Language);
    }

    [Fact]
    public async Task RemoveGrant_Answers409_ForTheLastAdministratorGrant()
    {
        await using var services = await PeopleServices.BuildAsync();
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var first = await admin.CreateAsync(AdminOfX, new CreateUserCommand("forsta@demo.local", "Första", "sv", "ett-langt-losenord"));
        var second = await admin.CreateAsync(AdminOfX, new CreateUserCommand("andra@demo.local", "Andra", "sv", "ett-langt-losenord"));
        var administrator = new GrantCommand("region-x", null, Roles.Administrator);
        await admin.AddGrantAsync(AdminOfX, first.Id, administrator);
        await admin.AddGrantAsync(AdminOfX, second.Id, administrator);

        await admin.RemoveGrantAsync(AdminOfX, first.Id, administrator);

        await Assert.ThrowsAsync<ConflictException>(() => admin.RemoveGrantAsync(AdminOfX, second.Id, administrator));
        Assert.Contains(new RoleGrant("region-x", null, Roles.Administrator), (await admin.GetAsync(AdminOfX, second.Id)).Grants);
    }

    /// <summary>An administrator of the test region (not a user in the database: the runtime trusts the actor it is given).</summary>
    private static readonly Actor RegionAdmin = new("test-admin", "Testadministratör", [new RoleGrant(Region.Id, null, Roles.Administrator)], []);

    private static readonly Actor AdminOfX = new("test-admin", "Testadministratör", [new RoleGrant("region-x", null, Roles.Administrator)], []);

    private sealed class OneOrganisationCatalog(Organisation organisation) : IWorkflowCatalog
    {
        public IReadOnlyList<WorkflowSummary> Workflows => [];

        public IReadOnlyList<Organisation> Organisations => [organisation];

        public IReadOnlyList<string> Problems => [];

        public Organisation? FindOrganisation(string id) => id == organisation.Id ? organisation : null;
    }
}
