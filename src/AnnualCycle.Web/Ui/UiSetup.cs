using System.Threading.RateLimiting;
using AnnualCycle.Web.Auth;
using AnnualCycle.Web.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace AnnualCycle.Web.Ui;

/// <summary>The Blazor Server UI: components, MudBlazor, the culture cookie, sign-out and the language switch.</summary>
public static class UiSetup
{
    public const string SignOutPath = "/konto/logga-ut";
    public const string CulturePath = "/konto/sprak";

    /// <summary>How many server-rendered pages render at the same time (two per processor); the rest queue.</summary>
    public static readonly int PagesRenderedAtOnce = 2 * Environment.ProcessorCount;

    /// <summary>How many page requests may wait for their turn before the next is answered 503.</summary>
    public const int PageQueueLimit = 10_000;

    public static IServiceCollection AddAnnualCycleUi(this IServiceCollection services, IHostEnvironment environment)
    {
        // Exception details reach the browser's console only while developing.
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = environment.IsDevelopment());
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery(o =>
        {
            // Like the sign-in cookie (AuthenticationSetup): secure outside development, never readable by script.
            o.Cookie.Name = "arshjul.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = AuthenticationSetup.CookieSecurity(environment);
        });
        services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.VisibleStateDuration = 8000;
        });
        services.AddScoped<UiSession>();
        services.AddRateLimiter(o =>
        {
            // Server-rendered pages render a few at a time and the rest wait their turn in a queue, instead of all
            // at once: a page being rendered holds its data, render tree and HTML (megabytes for a cycle's matrix),
            // a waiting request almost nothing. Rendering faster than the processors allow is not possible anyway;
            // rendering hundreds at once only multiplied the memory (README "Benchmarks", dashboard). Nothing is
            // turned away until PageQueueLimit requests wait. The Blazor circuit (/_blazor) and the API are not pages.
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetConcurrencyLimiter("pages", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = PagesRenderedAtOnce,
                        QueueLimit = PageQueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    }));
        });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            // Swedish unless the person chose English: the culture cookie alone decides, not the browser's language.
            o.DefaultRequestCulture = new RequestCulture(UiText.Cultures[0]);
            o.SupportedCultures = UiText.Cultures;
            o.SupportedUICultures = UiText.Cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = UiText.CultureCookie }];
        });
        return services;
    }

    /// <summary>Call after <c>MapAnnualCycleWeb</c> (authentication and authorisation are in place by then).</summary>
    public static WebApplication MapAnnualCycleUi(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.UseAntiforgery();
        app.MapStaticAssets();

        // A form post with the antiforgery token ([FromForm] makes the endpoint require it).
        app.MapPost(SignOutPath, async ([FromForm] string? returnUrl, SignInManager<AppUser> signIn) =>
        {
            _ = returnUrl;
            await signIn.SignOutAsync();
            return Results.LocalRedirect(AuthenticationSetup.LoginPath);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet(CulturePath, (string? culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = UiText.Cultures.FirstOrDefault(c => c.TwoLetterISOLanguageName == culture) ?? UiText.Cultures[0];
            http.Response.Cookies.Append(
                UiText.CultureCookie,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = AuthenticationSetup.CookieSecurity(app.Environment) == CookieSecurePolicy.Always || http.Request.IsHttps,
                    IsEssential = true,
                });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous().ExcludeFromDescription();

        app.UseRateLimiter();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Only local paths: an open redirect would hand the session to someone else's site.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal);
}
