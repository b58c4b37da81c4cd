using System.Net;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The real host (<see cref="AnnualCycleFactory"/>) on a loopback socket (Kestrel, SQLite in a temp DataFolder with the
/// demo seeded, or PostgreSQL) with a fixed clock on 23 November 2026, so the 2027 cycle's verksamhetsplaner are open,
/// and browser contexts of the collection's one Chromium (<see cref="SharedChromium"/>; ../shared/STACK.md), closed
/// with the host.
/// </summary>
public sealed class UiHost : IAsyncDisposable
{
    /// <summary>Monday 23 November 2026, 09:00 in Stockholm: the 2027 cycle is in its planning months.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public const string Password = "Arshjul-demo-2026!";

    private readonly AnnualCycleFactory _factory;
    private readonly List<IPage> _pages = [];
    private readonly List<IBrowserContext> _contexts = [];

    private UiHost(AnnualCycleFactory factory) => _factory = factory;

    public FakeTimeProvider Clock => _factory.Clock!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Names the final screenshots of this host's pages.</summary>
    public string Name { get; set; } = "host";

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _factory.Services;

    public static Task<UiHost> StartSqliteAsync() => StartAsync(AnnualCycleFactory.Sqlite());

    public static async Task<UiHost> StartPostgreSqlAsync()
    {
        var connection = await PostgresServer.CreateDatabaseAsync("ui");
        return await StartAsync(AnnualCycleFactory.PostgreSql(connection, ("Demo:Seed", "true")));
    }

    private static async Task<UiHost> StartAsync(AnnualCycleFactory factory)
    {
        var host = new UiHost(factory.WithClock(new FakeTimeProvider(Now)));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.BaseUrl = addresses.First().TrimEnd('/');
        host.Browser = await SharedChromium.BrowserAsync();
        return host;
    }

    /// <summary>A fresh browser context (own cookies) at the given width: 1280 (desktop) or 390 (phone).</summary>
    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            Locale = "sv-SE",
        });
        _contexts.Add(context);
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        _pages.Add(page);
        var index = _pages.Count - 1;
        // The browser's console carries a circuit's exception (DetailedErrors in Development): keep it beside the screenshots.
        page.Console += (_, message) => Log($"[{index}] {message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"[{index}] page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Log($"[{index}] HTTP {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        return page;
    }

    /// <summary>The process owner starts Västerbotten's 2027 cycle through the handler; returns the id of hälso- och
    /// sjukvårdsnämnden's verksamhetsplan step, which is open for hsn.handlaggare at <see cref="Now"/>.</summary>
    public async Task<Guid> StartCycle2027Async()
    {
        const string organisation = "region-vasterbotten";
        var owner = await ActorAsync("processagare@demo.local");
        var contributor = await ActorAsync("hsn.handlaggare@demo.local");
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AnnualCycle.Runtime.Cycles.Commands.StartCycleHandler>()
            .HandleAsync(owner, new AnnualCycle.Runtime.Cycles.Commands.StartCycleCommand(organisation, organisation, 2027));
        var tasks = await scope.ServiceProvider.GetRequiredService<AnnualCycle.Runtime.Cycles.Queries.MyTasksQuery>().HandleAsync(contributor);
        return tasks.First(t => t.Step.Key.Contains("verksamhetsplan", StringComparison.Ordinal)).Step.Id;
    }

    /// <summary>Signs in through the form and waits until Mina uppgifter is interactive.</summary>
    public async Task<IPage> SignInAsync(string email, int width = 1280, string password = Password)
    {
        var page = await NewPageAsync(width);
        await page.GotoAsync("/konto/logga-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(BaseUrl + "/");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Signs in and returns a page at Mina uppgifter (for opening a second view as the same person).</summary>
    public Task<IPage> NewSignedInPageAsync(string email, int width = 1280) => SignInAsync(email, width);

    /// <summary>A prerendered page ignores clicks: wait for the marker that only the interactive render writes.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public async Task<Actor> ActorAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AnnualCycle.Data.Identity.AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No demo user {email}.");
        return await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetByUserIdAsync(user.Id);
    }

    /// <summary>The page fits its width: wide tables scroll inside themselves, the page never scrolls sideways.</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var (scroll, viewport) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        var culprits = scroll <= viewport + 1 ? "" : await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
            ".slice(0, 6).map(e => e.tagName + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().width)).join(' > ')");
        Assert.True(scroll <= viewport + 1, $"the page is {scroll}px wide in a {viewport}px window: {culprits}");
    }

    private void Log(string line)
    {
        lock (_pages)
        {
            Directory.CreateDirectory(ScreenshotFolder);
            File.AppendAllText(Path.Combine(ScreenshotFolder, $"console-{Name}.log"), line + Environment.NewLine);
        }
    }

    private static string ScreenshotFolder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));

    /// <summary>Saves a full-page screenshot to TestResults/screenshots/ (kept as a CI artifact).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        // The last view of every page, whatever the outcome: a failed journey shows where it stood.
        for (var i = 0; i < _pages.Count; i++)
        {
            try
            {
                await ScreenshotAsync(_pages[i], $"last-{Name}-{i}");
            }
            catch (PlaywrightException)
            {
                // The page is already closed.
            }
        }

        // The browser is the collection's: close only what this host opened in it.
        foreach (var context in _contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // The browser went away with it.
            }
        }

        await _factory.DisposeAsync();
    }
}
