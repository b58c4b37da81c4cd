using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles.Timers;

/// <summary>
/// A timer whose firing throws (issue 10): it is not retried every minute forever. It keeps its error, waits a growing
/// backoff, is Failed after <see cref="TimerRetry.MaxAttempts"/>, is shown to the administrators of its organisation only,
/// and fires once after one of them re-arms it.
/// </summary>
public abstract class FailedTimerTests : EngineTestBase
{
    private readonly BreakableCatalog _catalog = new();

    protected abstract Task<EngineHarness> CreateHarnessAsync(Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration> configure);

    protected override Task<EngineHarness> CreateHarnessAsync() =>
        CreateHarnessAsync((s, _) => s.Replace(ServiceDescriptor.Singleton<IWorkflowCatalog>(_catalog)));

    [Fact]
    public async Task FailingTimer_BacksOff_IsFailedAfterMaxAttempts_ShownToItsAdministrators_AndFiresOnceWhenRearmed()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var step = await StepAsync(h, "aterkoppling/HSN");
        // The escalation to the förvaltningsdirektör asks the catalog for the body's förvaltning: break the catalog.
        var timer = await h.DbAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.StepInstanceId == step.Id && t.Kind == TimerKind.Escalation && t.Target == "Director"));
        await AdvanceToAsync(h, new DateTimeOffset(timer.DueAtUtc, TimeSpan.Zero).AddMinutes(-1));
        _catalog.Broken = true;

        var at = new DateTimeOffset(timer.DueAtUtc, TimeSpan.Zero);
        await AdvanceToAsync(h, at);
        var first = await TimerAsync(h, timer.Id);
        Assert.Equal((TimerState.Pending, 1), (first.State, first.Attempts));
        Assert.Contains("catalog is broken", first.LastError, StringComparison.Ordinal);
        Assert.Equal(timer.DueAtUtc.AddMinutes(1), first.RetryAtUtc);

        // Not again before its backoff, however often the sweep runs.
        await h.RunDueAsync();
        await h.RunDueAsync();
        Assert.Equal(1, (await TimerAsync(h, timer.Id)).Attempts);

        for (var attempt = 2; attempt <= TimerRetry.MaxAttempts; attempt++)
        {
            var retryAt = (await TimerAsync(h, timer.Id)).RetryAtUtc!.Value;
            Assert.Equal(TimerRetry.Backoff(attempt - 1), retryAt - h.Clock.GetUtcNow().UtcDateTime);
            await AdvanceToAsync(h, new DateTimeOffset(retryAt, TimeSpan.Zero));
            Assert.Equal(attempt, (await TimerAsync(h, timer.Id)).Attempts);
        }

        var failed = await TimerAsync(h, timer.Id);
        Assert.Equal((TimerState.Failed, TimerRetry.MaxAttempts, (DateTime?)null), (failed.State, failed.Attempts, failed.RetryAtUtc));
        await AdvanceToAsync(h, h.Clock.GetUtcNow().AddDays(1));
        Assert.Equal((TimerState.Failed, TimerRetry.MaxAttempts), ((await TimerAsync(h, timer.Id)).State, (await TimerAsync(h, timer.Id)).Attempts));

        // Shown to the organisation's administrator; a process owner is no administrator; another organisation's
        // administrator neither sees nor re-arms it.
        var admin = await h.ActorAsync(Admin);
        var listed = await h.HandleAsync<TimerAdministration, IReadOnlyList<FailedTimerDto>>(x => x.ListFailedAsync(admin));
        var row = Assert.Single(listed, r => r.Id == timer.Id);
        Assert.Equal(("aterkoppling/HSN", "Escalation", TimerRetry.MaxAttempts), (row.StepKey, row.Kind, row.Attempts));
        Assert.Contains("catalog is broken", row.LastError, StringComparison.Ordinal);
        var po = await h.ActorAsync(ProcessOwner);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<TimerAdministration, IReadOnlyList<FailedTimerDto>>(x => x.ListFailedAsync(po)));
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<TimerAdministration, bool>(async x => { await x.RearmAsync(po, timer.Id); return true; }));
        var stranger = await OtherOrganisationAdminAsync(h);
        Assert.Empty(await h.HandleAsync<TimerAdministration, IReadOnlyList<FailedTimerDto>>(x => x.ListFailedAsync(stranger)));
        await Assert.ThrowsAsync<NotFoundException>(() => h.HandleAsync<TimerAdministration, bool>(async x => { await x.RearmAsync(stranger, timer.Id); return true; }));
        Assert.Equal(TimerState.Failed, (await TimerAsync(h, timer.Id)).State);

        _catalog.Broken = false;
        await h.HandleAsync<TimerAdministration, bool>(async x => { await x.RearmAsync(admin, timer.Id); return true; });
        Assert.Equal((TimerState.Pending, 0), ((await TimerAsync(h, timer.Id)).State, (await TimerAsync(h, timer.Id)).Attempts));
        Assert.True(await h.RunDueAsync() >= 1);
        Assert.Equal(0, await h.RunDueAsync());
        Assert.Equal(TimerState.Fired, (await TimerAsync(h, timer.Id)).State);
        var escalations = await h.DbAsync(db => db.OutboxMessages.CountAsync(o => o.DedupKey.StartsWith($"escalation:{step.Id}:{timer.Id}:")));
        Assert.Equal(1, escalations); // the förvaltningsdirektör of HSF, once
        Assert.Single(await h.DbAsync(db => db.Journal.Where(j => j.Action == "TimerRearmed" && j.StepInstanceId == step.Id).ToListAsync()));

        var again = await Assert.ThrowsAsync<IllegalTransitionException>(() => h.HandleAsync<TimerAdministration, bool>(async x => { await x.RearmAsync(admin, timer.Id); return true; }));
        Assert.Equal("Fired", again.From);
        Assert.Equal(0, await AnnualCycle.Runtime.Cycles.Journal.VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null));
    }

    private static Task<TimerEntity> TimerAsync(EngineHarness h, Guid id) => h.DbAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.Id == id));

    private static async Task<Actor> OtherOrganisationAdminAsync(EngineHarness h)
    {
        await h.DbAsync(async db =>
        {
            db.Users.Add(new AppUser { Id = "u-other-admin", UserName = "other@test.local", Email = "other@test.local", DisplayName = "Other" });
            await db.SaveChangesAsync();
            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = "u-other-admin", OrganisationId = "region-other", Role = Roles.Administrator });
            return await db.SaveChangesAsync();
        });
        return await h.ActorAsync("u-other-admin");
    }

    /// <summary>The test catalog, which throws on a look-up while <see cref="Broken"/>.</summary>
    private sealed class BreakableCatalog : IWorkflowCatalog
    {
        private readonly FakeWorkflowCatalog _inner = new();

        public volatile bool Broken;

        public IReadOnlyList<WorkflowSummary> Workflows => _inner.Workflows;

        public IReadOnlyList<Organisation> Organisations => _inner.Organisations;

        public IReadOnlyList<string> Problems => _inner.Problems;

        public Organisation? FindOrganisation(string id) => Broken ? throw new InvalidOperationException("The catalog is broken (test).") : _inner.FindOrganisation(id);
    }
}

public sealed class FailedTimerSqliteTests : FailedTimerTests
{
    protected override Task<EngineHarness> CreateHarnessAsync(Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration> configure) =>
        EngineHarness.SqliteAsync(configure: configure);
}

public sealed class FailedTimerPostgreSqlTests : FailedTimerTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync(Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration> configure) =>
        await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("failedtimer"), configure: configure);
}
