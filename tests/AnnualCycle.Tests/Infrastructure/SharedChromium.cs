using Microsoft.Playwright;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// One Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright) for the browser tests of the collection
/// that owns this fixture (<see cref="HostCollection"/>, where every browser test sits): launched when the first
/// <c>UiHost</c> asks for it, closed when the collection ends. Each host opens its own contexts in it (own cookies,
/// own storage) and closes them, so tests share the process, never a session. A browser that died is launched again.
/// </summary>
public sealed class SharedChromium : IAsyncLifetime
{
    private static SharedChromium? _current;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>How often this fixture launched Chromium (1 for a healthy run of the collection).</summary>
    public static int Launches { get; private set; }

    /// <summary>The collection's browser, launched on first use.</summary>
    public static Task<IBrowser> BrowserAsync() =>
        (Volatile.Read(ref _current) ?? throw new InvalidOperationException(
            $"A browser test belongs to the collection that owns the one Chromium: [Collection({nameof(HostCollection)}.{nameof(HostCollection.Name)})].")).GetAsync();

    public Task InitializeAsync()
    {
        Volatile.Write(ref _current, this);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Interlocked.CompareExchange(ref _current, null, this);
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private async Task<IBrowser> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true })
            {
                return _browser;
            }

            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            Launches++;
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }
}
