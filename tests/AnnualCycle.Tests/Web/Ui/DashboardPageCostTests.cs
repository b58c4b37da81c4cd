using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>
/// What one server-rendered cycle dashboard (<c>/cykler/{id}</c>) asks the database (issue 13, the dashboard target):
/// the layout, the export menu and the page's queries render together, and used to load the person's grants each on
/// their own (three loads of every grant for a page; a process owner of 300 organisations had 300 rows each time).
/// Speed itself is measured by <c>bench dashboard</c>, not here.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DashboardPageCostTests
{
    private const string Org = FakeCyclePlanner.OrganisationId;

    [Fact]
    public async Task TheCycleDashboard_LoadsThePersonsGrantsOnce_AndTheStepsOnce()
    {
        await using var factory = EngineApiFactory.Create();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.Users.Add(new AppUser { Id = "po", UserName = "po", DisplayName = "Processägare" });
            await db.SaveChangesAsync();
            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = "po", OrganisationId = Org, Role = Roles.ProcessOwner });
            await db.SaveChangesAsync();
        }

        // HTTPS, as outside Development the page's antiforgery cookie insists on it.
        using var po = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        po.DefaultRequestHeaders.Add(EngineApiFactory.UserHeader, "po");
        var created = await po.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = FakeCyclePlanner.WorkflowId, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cycleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using (var warm = await po.GetAsync($"/cykler/{cycleId}"))
        {
            Assert.True(warm.StatusCode == HttpStatusCode.OK, $"{warm.StatusCode}: {await warm.Content.ReadAsStringAsync()}");
        }

        using var commands = new CommandLog(factory.DataFolder);
        using var page = await po.GetAsync($"/cykler/{cycleId}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"cell\"", html, StringComparison.Ordinal); // the matrix is there
        var texts = commands.Texts;
        var grantLoads = texts.Count(t => t.Contains("FROM \"RoleGrants\"", StringComparison.Ordinal) && !t.Contains("\"Deputies\"", StringComparison.Ordinal));
        // One for the request's authorisation (its own scope), one shared by everything the page renders.
        Assert.True(grantLoads <= 2, $"{grantLoads} loads of the person's grants for one page:\n{string.Join("\n---\n", texts)}");
        Assert.Equal(1, texts.Count(t => t.Contains("\"s\".\"Comment\"", StringComparison.Ordinal) && t.Contains("FROM \"StepInstances\"", StringComparison.Ordinal)));
        // The approvals are read by the keys of the cycle's submitted steps (none here: no read at all), never by a
        // subquery per approval, which walked every approval of every cycle in the database for each page.
        Assert.DoesNotContain(texts, t => t.Contains("FROM \"Approvals\"", StringComparison.Ordinal) && t.Contains("EXISTS", StringComparison.Ordinal));
    }

    /// <summary>The SQL EF Core runs against this host's database (its SQLite file under the data folder) while it lives.</summary>
    private sealed class CommandLog : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _folder;
        private readonly List<string> _texts = [];
        private readonly List<IDisposable> _subscriptions = [];

        public CommandLog(string folder)
        {
            _folder = folder;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<string> Texts
        {
            get
            {
                lock (_texts)
                {
                    return [.. _texts];
                }
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData data && Ours(data.Command))
            {
                lock (_texts)
                {
                    _texts.Add(data.Command.CommandText);
                }
            }
        }

        private bool Ours(DbCommand command) => command.Connection?.DataSource?.StartsWith(_folder, StringComparison.Ordinal) == true;

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
