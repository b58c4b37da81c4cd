using AnnualCycle.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AnnualCycle.Web.Auth;

/// <summary>
/// Identity in the product database and the three ways in: the Identity application cookie (the Blazor
/// UI), a bearer token (API clients, from <c>POST /api/v1/auth/login</c>), and OpenID Connect when
/// <c>Authentication:Oidc:Authority</c> is set. A policy scheme picks bearer when the request carries
/// <c>Authorization: Bearer …</c>, else the cookie.
/// </summary>
public static class AuthenticationSetup
{
    /// <summary>The default scheme: forwards to bearer or cookie per request.</summary>
    public const string AutoScheme = "AnnualCycle.Auto";

    public const string OidcScheme = "oidc";

    public const string LoginPath = "/konto/logga-in";
    public const string AccessDeniedPath = "/konto/atkomst-nekad";
    public const string OidcLoginPath = "/konto/logga-in/oidc";

    public static IServiceCollection AddAnnualCycleAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // The user manager, its stores and the password rules come from the core (AddAnnualCycleCore); signing in is the web's.
        services.AddIdentityCore<AppUser>(o =>
            {
                // Failed passwords never lock an account (PasswordSignIn signs in with lockoutOnFailure: false; the
                // SignInThrottle slows guessing instead). Lockout stays on for the locks an administrator sets.
                o.Lockout.AllowedForNewUsers = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.SignIn.RequireConfirmedEmail = false;
            })
            .AddSignInManager();
        services.AddOptions<SignInThrottleOptions>().Bind(configuration.GetSection("SignIn"))
            .Validate(o => o.FailuresPerAccount > 0 && o.FailuresPerAddress > 0 && o.Window > TimeSpan.Zero && o.Segments > 0, "SignIn:FailuresPerAccount, :FailuresPerAddress, :Window and :Segments must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordSignIn>();

        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = AutoScheme;
            o.DefaultChallengeScheme = AutoScheme;
            o.DefaultForbidScheme = AutoScheme;
            o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
        });
        authentication.AddPolicyScheme(AutoScheme, "Bearer or cookie", o => o.ForwardDefaultSelector = SelectScheme);
        authentication.AddBearerToken(IdentityConstants.BearerScheme);
        authentication.AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "arshjul.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax; // Strict would drop the cookie on the redirect back from an OIDC provider.
            o.Cookie.SecurePolicy = CookieSecurity(environment);
            o.LoginPath = LoginPath;
            o.AccessDeniedPath = AccessDeniedPath;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events = new CookieAuthenticationEvents
            {
                // An API client gets a status code, never a redirect to a login page it cannot use.
                OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden),
            };
        });

        var oidc = configuration.GetSection("Authentication:Oidc");
        if (!string.IsNullOrWhiteSpace(oidc["Authority"]))
        {
            authentication.AddOpenIdConnect(OidcScheme, "Regionens inloggning", o =>
            {
                o.Authority = oidc["Authority"];
                o.ClientId = oidc["ClientId"];
                o.ClientSecret = oidc["ClientSecret"];
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SignInScheme = IdentityConstants.ApplicationScheme;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Scope.Add("email");
                o.SaveTokens = false;
                o.Events = new OpenIdConnectEvents
                {
                    OnTokenValidated = OidcUserMapping.MapToLocalUserAsync,
                    OnRemoteFailure = ctx =>
                    {
                        ctx.Response.Redirect(AccessDeniedPath);
                        ctx.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return services;
    }

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>The request names a bearer token (<c>Authorization: Bearer …</c>): the bearer scheme, not the cookie, authenticates it.</summary>
    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static string SelectScheme(HttpContext context) =>
        HasBearerToken(context.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The one rule for every cookie the service sets (session, antiforgery, language): <c>Secure</c> outside Development,
    /// also when the request arrived as plain HTTP from a proxy that ended TLS; in Development as the request came.
    /// </summary>
    public static CookieSecurePolicy CookieSecurity(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}

/// <summary>An OpenID Connect identity is let in only as the local user with the same email; anyone else is denied.</summary>
internal static class OidcUserMapping
{
    public static async Task MapToLocalUserAsync(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context)
    {
        var email = context.Principal?.FindFirst("email")?.Value
            ?? context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value
            ?? context.Principal?.FindFirst("preferred_username")?.Value;
        var services = context.HttpContext.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var signIn = services.GetRequiredService<SignInManager<AppUser>>();
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email);
        if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
        {
            context.Fail("No local user for this identity.");
            return;
        }

        context.Principal = await signIn.CreateUserPrincipalAsync(user);
    }
}

public static class OidcEndpoints
{
    /// <summary><c>GET /konto/logga-in/oidc?returnUrl=/</c> starts the OpenID Connect sign-in, when it is configured.</summary>
    public static void MapOidcLogin(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["Authentication:Oidc:Authority"]))
        {
            return;
        }

        app.MapGet(AuthenticationSetup.OidcLoginPath, (string? returnUrl) =>
        {
            // Only local paths: an open redirect would hand the session to someone else's site.
            var target = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";
            return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [AuthenticationSetup.OidcScheme]);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
