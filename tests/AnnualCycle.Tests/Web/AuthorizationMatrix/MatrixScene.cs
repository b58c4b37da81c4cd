using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Web.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.AuthorizationMatrix;

/// <summary>Who asks. Each is a real signed-in user of the demo (Region Västerbotten) or of <see cref="TwoOrganisations"/>.</summary>
public enum Persona
{
    /// <summary>processagare@demo.local: process owner of Region Västerbotten.</summary>
    ProcessOwner,

    /// <summary>admin@demo.local: administrator of Region Västerbotten.</summary>
    Administrator,

    /// <summary>sysadmin@test.local: system administrator (the CLI's grant), no other role.</summary>
    SystemAdministrator,

    /// <summary>hsn.handlaggare@demo.local: contributor of HSN.</summary>
    Contributor,

    /// <summary>hsn.direktor@demo.local: förvaltningsdirektör of HSF, HSN's förvaltning (first approval of HSN's reports).</summary>
    Director,

    /// <summary>hsn.sekreterare@demo.local: records the nämnd HSN's decision (second approval).</summary>
    Secretary,

    /// <summary>ersattare@matris.test: member of Region Västerbotten, deputy of HSN's contributor for all of 2026–2030.</summary>
    Deputy,

    /// <summary>No credentials.</summary>
    Anonymous,
}

/// <summary>What the request is about, seen from the HSN people above.</summary>
public enum Target
{
    /// <summary>HSN of Region Västerbotten: its steps, its contributor, its calendar.</summary>
    OwnBody,

    /// <summary>RUN of Region Västerbotten: same organisation, another nämnd.</summary>
    OtherBody,

    /// <summary>RUN of Region Norrbotten: another organisation.</summary>
    OtherOrganisation,
}

/// <summary>A state a step is prepared in before a cell asks something of it.</summary>
public enum StepSetup
{
    /// <summary>Opened, waiting for its contributor.</summary>
    Opened,

    /// <summary>Submitted by its body's contributor; the first approval (the förvaltningsdirektör) is pending.</summary>
    FirstApproval,

    /// <summary>Submitted and approved by the förvaltningsdirektör; the second approval (the nämnd) is pending.</summary>
    SecondApproval,

    /// <summary>A meeting of the body, Opened, waiting to be confirmed.</summary>
    Meeting,
}

/// <summary>
/// The world the matrix asks about, on the real host (SQLite, demo seeded, the shipped workflows, a fake clock at
/// 15 June 2026): Region Västerbotten's cycles 2027 and 2028 and Region Norrbotten's cycle 2027, and for each target a
/// pool of steps, people, a deputyship, an email and an uploaded file. A cell that is expected to be allowed gets objects
/// of its own (<c>fresh</c>), so what it changes never changes what another cell sees; refused cells share one.
/// Steps are put into their state and kind with SQL (the test's setup, not a product path): the matrix is about who may
/// act, and the engine's own tests cover how states change.
/// </summary>
public sealed class MatrixScene : IAsyncDisposable
{
    public const string Vasterbotten = TwoOrganisations.Vasterbotten;
    public const string Norrbotten = TwoOrganisations.Norrbotten;
    private const string DeputyEmail = "ersattare@matris.test";

    private readonly Dictionary<(Target, StepSetup), Queue<Guid>> _pools = [];
    private readonly Dictionary<(Target, StepSetup), Guid> _shared = [];
    private readonly Dictionary<Persona, HttpClient> _bearer = [];
    private readonly Dictionary<Persona, HttpClient> _cookie = [];
    private int _serial;

    private MatrixScene(ClockedHost host) => Host = host;

    public ClockedHost Host { get; }

    public IServiceProvider Services => Host.Factory.Services;

    public static string Email(Persona persona) => persona switch
    {
        Persona.ProcessOwner => "processagare@demo.local",
        Persona.Administrator => "admin@demo.local",
        Persona.SystemAdministrator => TwoOrganisations.SystemAdmin,
        Persona.Contributor => "hsn.handlaggare@demo.local",
        Persona.Director => "hsn.direktor@demo.local",
        Persona.Secretary => "hsn.sekreterare@demo.local",
        Persona.Deputy => DeputyEmail,
        _ => throw new ArgumentOutOfRangeException(nameof(persona)),
    };

    public static string Organisation(Target target) => target == Target.OtherOrganisation ? Norrbotten : Vasterbotten;

    public static string Body(Target target) => target == Target.OwnBody ? "HSN" : "RUN";

    /// <summary>The cycle 2027 of the target's organisation.</summary>
    public Dictionary<Target, Guid> Cycle { get; } = [];

    /// <summary>A contributor of the target's body (not one of the personas): the user the admin endpoints are asked about.</summary>
    public Dictionary<Target, (string Id, string Email, string Name)> User { get; } = [];

    /// <summary>A deputyship whose principal is <see cref="User"/>.</summary>
    public Dictionary<Target, Guid> Deputyship { get; } = [];

    /// <summary>A dead-lettered weekly digest to <see cref="User"/>.</summary>
    public Dictionary<Target, Guid> Outbox { get; } = [];

    /// <summary>A file uploaded to the shared Opened step.</summary>
    public Dictionary<Target, (Guid Step, Guid File)> File { get; } = [];

    /// <summary>A sent "step opened" email about the target's shared Opened step, to <see cref="User"/>: the email log's row.</summary>
    public Dictionary<Target, Guid> CycleEmail { get; } = [];

    /// <param name="host">The host to build the scene on; null: SQLite in a fresh data folder.</param>
    public static async Task<MatrixScene> CreateAsync(AnnualCycleFactory? host = null)
    {
        var scene = new MatrixScene(new ClockedHost(host ?? AnnualCycleFactory.Sqlite()));
        await scene.BuildAsync();
        return scene;
    }

    /// <summary>The persona's bearer-token client for the API (anonymous: no credentials).</summary>
    public HttpClient Api(Persona persona) => _bearer[persona];

    /// <summary>The persona's cookie client for pages and the Hangfire dashboard, as a browser signs in.</summary>
    public HttpClient Browser(Persona persona) => _cookie[persona];

    /// <summary>A step of the target's body in <paramref name="setup"/>: its own when <paramref name="fresh"/>, else the one shared by refused cells.</summary>
    public Guid Step(Target target, StepSetup setup, bool fresh)
    {
        if (!fresh)
        {
            return _shared[(target, setup)];
        }

        return _pools.TryGetValue((target, setup), out var pool) && pool.Count > 0
            ? pool.Dequeue()
            : throw new InvalidOperationException($"The matrix scene has no more {setup} steps for {target}: give the pool more.");
    }

    /// <summary>A new contributor of the target's body, for a cell that changes a user.</summary>
    public async Task<(string Id, string Email, string Name)> NewUserAsync(Target target)
    {
        var n = Interlocked.Increment(ref _serial);
        var email = $"m{n}.{Body(target).ToLowerInvariant()}.{Organisation(target)}@matris.test";
        var name = $"Matrisperson {n} ({Body(target)}, {Organisation(target)})";
        return (await CreateUserAsync(email, name, new RoleGrant(Organisation(target), Body(target), Roles.Contributor)), email, name);
    }

    /// <summary>A new deputyship of <see cref="User"/> (deputy: a new colleague in the same body), for a cell that removes one.</summary>
    public async Task<Guid> NewDeputyshipAsync(Target target)
    {
        var colleague = await NewUserAsync(target);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var entity = new DeputyEntity(User[target].Id, colleague.Id, new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31)) { Id = Guid.NewGuid() };
        db.Deputies.Add(entity);
        await db.SaveChangesAsync();
        return entity.Id;
    }

    public int Next() => Interlocked.Increment(ref _serial);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _bearer.Values.Concat(_cookie.Values))
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
    }

    private async Task BuildAsync()
    {
        await TwoOrganisations.SeedAsync(Services);
        var contributor = await UserIdAsync(Email(Persona.Contributor));
        var deputy = await CreateUserAsync(DeputyEmail, "Ersättare för HSN:s handläggare", new RoleGrant(Vasterbotten, null, Roles.Member));
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.Deputies.Add(new DeputyEntity(contributor, deputy, new DateOnly(2026, 1, 1), new DateOnly(2030, 12, 31)) { Id = Guid.NewGuid() });
            await db.SaveChangesAsync();
        }

        foreach (var persona in Enum.GetValues<Persona>())
        {
            if (persona == Persona.Anonymous)
            {
                _bearer[persona] = Host.Factory.CreateClient(new() { AllowAutoRedirect = false });
                _cookie[persona] = Host.Factory.CreateClient(new() { AllowAutoRedirect = false });
                continue;
            }

            _bearer[persona] = await ApiClient.SignedInAsync(Host.Factory, Email(persona));
            var browser = Host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
            var login = await browser.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email = Email(persona), password = DemoUsers.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            _cookie[persona] = browser;
        }

        using var vasterbottenOwner = await ApiClient.SignedInAsync(Host.Factory, Email(Persona.ProcessOwner));
        using var norrbottenOwner = await ApiClient.SignedInAsync(Host.Factory, TwoOrganisations.NorrbottenOwner);
        var vb2027 = await StartAsync(vasterbottenOwner, Vasterbotten, 2027);
        var vb2028 = await StartAsync(vasterbottenOwner, Vasterbotten, 2028);
        var nb2027 = await StartAsync(norrbottenOwner, Norrbotten, 2027);
        Cycle[Target.OwnBody] = vb2027;
        Cycle[Target.OtherBody] = vb2027;
        Cycle[Target.OtherOrganisation] = nb2027;

        foreach (var target in Enum.GetValues<Target>())
        {
            var cycles = target == Target.OtherOrganisation ? new[] { nb2027 } : [vb2027, vb2028];
            await PreparePoolsAsync(target, cycles);
            User[target] = await NewUserAsync(target);
            Deputyship[target] = await NewDeputyshipAsync(target);
            Outbox[target] = await RecordEmailAsync(User[target].Id);
            File[target] = await UploadAsync(target);
            CycleEmail[target] = await RecordStepEmailAsync(target);
        }
    }

    private static async Task<Guid> StartAsync(HttpClient owner, string organisation, int year)
    {
        var response = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = organisation, workflowId = organisation, year });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start {organisation} {year}: {await response.Content.ReadAsStringAsync()}");
        return (await ApiClient.JsonAsync(response)).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Puts the target body's steps into the states the cells need: tasks with two approvals first for the second
    /// approval, then any task with approvals for the first approval, the rest Opened (tasks and, re-kinded, meetings).
    /// </summary>
    private async Task PreparePoolsAsync(Target target, Guid[] cycles)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var body = Body(target);
        var submitter = target switch
        {
            Target.OwnBody => await UserIdAsync(Email(Persona.Contributor)),
            Target.OtherBody => await UserIdAsync("run.handlaggare@demo.local"),
            _ => await UserIdAsync(TwoOrganisations.NorrbottenContributor),
        };
        var approver = target switch
        {
            Target.OwnBody => await UserIdAsync(Email(Persona.Director)),
            Target.OtherBody => await UserIdAsync("run.direktor@demo.local"),
            _ => await UserIdAsync(TwoOrganisations.NorrbottenOwner),
        };
        var steps = await db.StepInstances.AsNoTracking()
            .Where(s => cycles.Contains(s.CycleId) && s.BodyId == body)
            .Select(s => new { s.Id, s.Key, Approvals = db.Approvals.Count(a => a.StepInstanceId == s.Id) })
            .ToListAsync();
        // Other-organisation cells are all refused, so one shared step of each kind suffices there; the body matters less.
        if (target == Target.OtherOrganisation)
        {
            steps = await db.StepInstances.AsNoTracking()
                .Where(s => cycles.Contains(s.CycleId))
                .Select(s => new { s.Id, s.Key, Approvals = db.Approvals.Count(a => a.StepInstanceId == s.Id) })
                .ToListAsync();
        }

        var twoLevel = new Queue<Guid>(steps.Where(s => s.Approvals >= 2).OrderBy(s => s.Key).Select(s => s.Id));
        var oneLevel = new Queue<Guid>(steps.Where(s => s.Approvals == 1).OrderBy(s => s.Key).Select(s => s.Id));
        var plain = new Queue<Guid>(steps.Where(s => s.Approvals == 0).OrderBy(s => s.Key).Select(s => s.Id));
        var wanted = new (StepSetup Setup, int Count)[] { (StepSetup.SecondApproval, 3), (StepSetup.FirstApproval, 3), (StepSetup.Meeting, 5), (StepSetup.Opened, 6) };
        if (target == Target.OtherOrganisation)
        {
            wanted = [(StepSetup.SecondApproval, 1), (StepSetup.FirstApproval, 1), (StepSetup.Meeting, 1), (StepSetup.Opened, 1)];
        }

        foreach (var (setup, count) in wanted)
        {
            var pool = new Queue<Guid>();
            for (var i = 0; i < count; i++)
            {
                // A meeting takes a step without approvals where there is one; an Opened task one whose submission
                // would wait for an approval (so submitting it does not complete anything else).
                var id = setup switch
                {
                    StepSetup.SecondApproval => twoLevel.Dequeue(),
                    StepSetup.Meeting when plain.Count > 0 => plain.Dequeue(),
                    _ => oneLevel.Count > 0 ? oneLevel.Dequeue() : twoLevel.Dequeue(),
                };
                await SetUpAsync(db, id, setup, submitter, approver);
                pool.Enqueue(id);
            }

            _shared[(target, setup)] = pool.Dequeue();
            _pools[(target, setup)] = pool;
        }
    }

    private static async Task SetUpAsync(AnnualCycleDbContext db, Guid step, StepSetup setup, string submitter, string approver)
    {
        // The kind the cell needs: a meeting is confirmed; a task is submitted, given files and approved.
        var state = setup is StepSetup.FirstApproval or StepSetup.SecondApproval ? "Submitted" : "Opened";
        var kind = setup == StepSetup.Meeting ? "Meeting" : "Task";
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE "StepInstances" SET "State" = {state}, "Kind" = {kind},
                "SubmittedByUserId" = CASE WHEN {state} = 'Submitted' THEN {submitter} ELSE NULL END
            WHERE "Id" = {step}
            """);
        if (state == "Submitted")
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "Approvals" SET "SubmittedByUserId" = {submitter} WHERE "StepInstanceId" = {step}""");
        }

        if (setup == StepSetup.SecondApproval)
        {
            var first = await db.Approvals.AsNoTracking().Where(a => a.StepInstanceId == step).OrderBy(a => a.Round).ThenBy(a => a.Order).Select(a => a.Id).FirstAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE "Approvals" SET "State" = 'Approved', "DecidedByUserId" = {approver}, "DecidedAtUtc" = {new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc)}
                WHERE "Id" = {first}
                """);
        }
    }

    private async Task<Guid> RecordStepEmailAsync(Target target)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var step = await db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == File[target].Step);
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.StepOpened,
            RecipientUserId = User[target].Id,
            CycleId = step.CycleId,
            StepInstanceId = step.Id,
            DedupKey = "matrix-log:" + Guid.NewGuid().ToString("N"),
            // Later than anything the scene's actions record, so the row stays on the log's first page (newest first).
            CreatedAtUtc = new DateTime(2030, 6, 1, 8, 0, 0, DateTimeKind.Utc),
            State = OutboxState.Sent,
            Attempts = 1,
            SentAtUtc = new DateTime(2030, 6, 1, 8, 0, 1, DateTimeKind.Utc),
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    private async Task<Guid> RecordEmailAsync(string recipient)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.WeeklyDigest,
            RecipientUserId = recipient,
            DedupKey = "matrix:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc),
            State = OutboxState.DeadLetter,
            Attempts = 5,
            FirstAttemptAtUtc = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc),
            LastStatusCode = 550,
            LastError = "refused",
            PayloadJson = "{}",
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    /// <summary>A file on the target's shared Opened step, uploaded by the step body's contributor.</summary>
    private async Task<(Guid Step, Guid File)> UploadAsync(Target target)
    {
        var step = _shared[(target, StepSetup.Opened)];
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var uploader = await db.Users.Where(u => u.Id == User[target].Id).Select(u => u.Id).SingleAsync();
        var stepBody = await db.StepInstances.Where(s => s.Id == step).Select(s => s.BodyId).SingleAsync();
        // The target's own contributor may not be of the step's body (other organisation: any step): give them the body for the upload.
        if (!await db.RoleGrants.AnyAsync(g => g.UserId == uploader && g.BodyId == stepBody && g.Role == Roles.Contributor))
        {
            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = uploader, OrganisationId = Organisation(target), BodyId = stepBody, Role = Roles.Contributor });
            await db.SaveChangesAsync();
        }

        using var client = await ClientForAsync(User[target].Email);
        var content = new ByteArrayContent("matris"u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        var response = await client.PostAsync($"/api/v1/steps/{step}/deliverable", new MultipartFormDataContent { { content, "file", "matris.txt" } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload for {target}: {await response.Content.ReadAsStringAsync()}");
        return (step, (await ApiClient.JsonAsync(response)).GetProperty("id").GetGuid());
    }

    private async Task<HttpClient> ClientForAsync(string email)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
            if (!await users.HasPasswordAsync(user))
            {
                await users.AddPasswordAsync(user, DemoUsers.Password);
            }
        }

        return await ApiClient.SignedInAsync(Host.Factory, email);
    }

    private async Task<string> CreateUserAsync(string email, string name, RoleGrant grant)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        // Without a password: quick (no hashing), and nobody signs in as these people.
        var created = email == DeputyEmail ? await users.CreateAsync(user, DemoUsers.Password) : await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user.Id, OrganisationId = grant.OrganisationId, BodyId = grant.BodyId, Role = grant.Role });
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var normalized = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>().NormalizeEmail(email);
        return await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync();
    }
}
