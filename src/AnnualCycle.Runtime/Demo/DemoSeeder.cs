using AnnualCycle.Data.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;

namespace AnnualCycle.Runtime.Demo;

/// <summary>What the seeder decided, for the log and for tests.</summary>
public enum DemoSeedOutcome
{
    Disabled,
    RefusedInProduction,
    Seeded,
}

/// <summary>
/// Seeds the demo organisation's users (<see cref="DemoUsers"/>). Config key <c>Demo:Seed</c>: on by default
/// with SQLite (the zero-setup mode: a fresh clone's <c>dotnet run</c> shows the demo), off by default with
/// PostgreSQL, and refused in the Production environment whatever it says, because every demo account
/// shares one published password. Idempotent: users and grants that exist are left as they are.
/// </summary>
public sealed class DemoSeeder(
    AnnualCycleDbContext db,
    UserManager<AppUser> users,
    DatabaseOptions database,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<DemoSeeder> logger)
{
    public const string ConfigKey = "Demo:Seed";

    /// <summary>Runs the seeder in its own scope; call after migrations.</summary>
    public static async Task<DemoSeedOutcome> SeedIfEnabledAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().RunAsync(cancellationToken);
    }

    public async Task<DemoSeedOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var configured = configuration.GetValue<bool?>(ConfigKey);
        var enabled = configured ?? database.Provider == DatabaseProvider.Sqlite;
        if (!enabled)
        {
            return DemoSeedOutcome.Disabled;
        }

        if (environment.IsProduction())
        {
            logger.LogError(
                "{Key} is on in the Production environment; refusing to create demo accounts with a published password. Set {Key}=false.",
                ConfigKey,
                ConfigKey);
            return DemoSeedOutcome.RefusedInProduction;
        }

        var created = 0;
        foreach (var demo in DemoUsers.All)
        {
            created += await EnsureUserAsync(demo, cancellationToken);
        }

        logger.LogInformation("Demo organisation {Organisation}: {Count} user(s) and grant(s) created (password {Password}).", DemoUsers.OrganisationId, created, DemoUsers.Password);
        return DemoSeedOutcome.Seeded;
    }

    private async Task<int> EnsureUserAsync(DemoUser demo, CancellationToken cancellationToken)
    {
        var created = 0;
        var user = await users.FindByEmailAsync(demo.Email);
        if (user is null)
        {
            user = new AppUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true, DisplayName = demo.DisplayName, Language = "sv" };
            var result = await users.CreateAsync(user, DemoUsers.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo user {demo.Email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }

            created++;
        }

        foreach (var grant in demo.Grants)
        {
            var exists = await db.RoleGrants.AnyAsync(
                g => g.UserId == user.Id && g.OrganisationId == grant.OrganisationId && g.BodyId == grant.BodyId && g.Role == grant.Role,
                cancellationToken);
            if (!exists)
            {
                db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user.Id, OrganisationId = grant.OrganisationId, BodyId = grant.BodyId, Role = grant.Role });
                created++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return created;
    }
}

public sealed record DemoUser(string Email, string DisplayName, IReadOnlyList<RoleGrant> Grants);

/// <summary>The demo users of Region Västerbotten; docs/demo-users.md lists the same.</summary>
public static class DemoUsers
{
    public const string OrganisationId = "region-vasterbotten";
    public const string Password = "Arshjul-demo-2026!";

    /// <summary>
    /// Each nämnd and regionstyrelsen (it takes part as a nämnd wherever the seeds say "nämnder och styrelser") with the
    /// förvaltning serving it (ids from workflows/organisations/region-vasterbotten.json), the e-mail prefix and the
    /// Swedish names used in display names. Fix the ids here if the file changes.
    /// </summary>
    public static readonly IReadOnlyList<(string Prefix, string Committee, string Administration, string Genitive)> Committees =
    [
        ("rs", "RS", "RSF", "Regionstyrelsens"),
        ("hsn", "HSN", "HSF", "Hälso- och sjukvårdsnämndens"),
        ("run", "RUN", "RUF", "Regionala utvecklingsnämndens"),
        ("fhs", "FHS", "FHF", "Folkhögskolestyrelsens"),
        ("pn", "PN", "PNF", "Patientnämndens"),
    ];

    public static readonly IReadOnlyList<DemoUser> All = Build();

    private static List<DemoUser> Build()
    {
        static RoleGrant G(string? body, string role) => new(OrganisationId, body, role);
        var list = new List<DemoUser>
        {
            new("admin@demo.local", "Systemadministratör", [G(null, Roles.Administrator)]),
            new("processagare@demo.local", "Processägare (ekonomistaben)", [G(null, Roles.ProcessOwner)]),
            new("regiondirektor@demo.local", "Regiondirektör", [G("RS", "regiondirektor"), G("RS", Roles.Contributor)]),
            new("ekonom@demo.local", "Ekonom, ekonomistaben", [G("EKO", Roles.Contributor)]),
        };
        foreach (var (prefix, committee, administration, genitive) in Committees)
        {
            list.Add(new($"{prefix}.handlaggare@demo.local", $"{genitive} handläggare", [G(committee, Roles.Contributor)]));
            list.Add(new($"{prefix}.direktor@demo.local", $"{genitive} förvaltningsdirektör", [G(administration, "forvaltningsdirektor")]));

            // The nämnd's decision is recorded by its secretary, a different person from the handläggare who
            // submits: separation of duties forbids the submitter approving.
            list.Add(new($"{prefix}.sekreterare@demo.local", $"{genitive} sekreterare", [G(committee, Roles.Committee)]));
        }

        return list;
    }
}
