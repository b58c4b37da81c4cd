using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Web.Auth;

/// <summary>
/// Cross-site request forgery: a state-changing request that the browser authenticates with the sign-in cookie
/// must show that this service's own pages sent it.
/// </summary>
/// <remarks>
/// <para>The rule, for every POST, PUT, PATCH and DELETE (and any other method that is not GET, HEAD, OPTIONS or TRACE)
/// that carries the sign-in cookie and no bearer token:</para>
/// <list type="number">
/// <item><c>Origin</c> (or, when a browser leaves it out, <c>Referer</c>) names this service: the request's own
/// scheme, host and port, or <c>PublicBaseUrl</c>. A request naming neither is refused.</item>
/// <item>and it carries either the header <see cref="HeaderName"/> (any value) or a valid antiforgery token (the
/// form field <c>__RequestVerificationToken</c> that Blazor's <c>EditForm</c> and <c>&lt;AntiforgeryToken /&gt;</c>
/// write, or the header <c>RequestVerificationToken</c>).</item>
/// </list>
/// <para>Why both: a page on another origin can post a form or a no-cors fetch with a text/plain, urlencoded or
/// multipart body, and the browser adds the cookie whenever the sites match (another port of the same host is the
/// same site, so SameSite=Lax does not help). It cannot add a custom header without a CORS preflight, which this
/// service never answers, and it cannot read the antiforgery token out of this service's pages. The Origin check
/// is the second lock, and it also covers endpoints that take the token in a form.</para>
/// <para>Bearer clients are not guarded: a browser never adds an <c>Authorization</c> header to a cross-origin request
/// without that same preflight, and the bearer scheme, not the cookie, then authenticates the request.</para>
/// <para>Blazor's circuit keeps working: SignalR's client sends <c>X-Requested-With</c> with its negotiation, the
/// interactive UI then talks over the WebSocket (a GET), and the static sign-in, password and sign-out forms carry the
/// antiforgery token. The only exemption is Blazor's own <c>/_blazor/disconnect</c> beacon, which a browser sends with
/// <c>navigator.sendBeacon</c> (no custom header possible) and which names a circuit by its secret id; it still has to
/// pass the Origin check.</para>
/// </remarks>
public sealed class RequestForgeryGuard(
    RequestDelegate next,
    IAntiforgery antiforgery,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    IOptions<RequestForgeryOptions> options,
    ILogger<RequestForgeryGuard> logger)
{
    /// <summary>The custom header a script of this service sends with a state-changing request (any non-empty value).</summary>
    public const string HeaderName = "X-Requested-With";

    /// <summary>The problem title of a refusal (tests and clients can tell it from the handlers' own 403).</summary>
    public const string RefusalTitle = "Cross-site request refused";

    private const string BlazorDisconnectPath = "/_blazor/disconnect";

    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = await CheckAsync(context);
        if (refusal is null)
        {
            await next(context);
            return;
        }

        logger.LogWarning("Refused a cookie-authenticated {Method} {Path} from origin {Origin}: {Reason}", context.Request.Method, context.Request.Path, context.Request.Headers.Origin.ToString(), refusal);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(title: RefusalTitle, detail: refusal, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }

    /// <summary>Null when the request may go on, else why it is refused.</summary>
    private async Task<string?> CheckAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        var cookieName = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? "";
        if (!request.Cookies.ContainsKey(cookieName) || AuthenticationSetup.HasBearerToken(request))
        {
            return null; // Nothing of the signed-in browser's to borrow: anonymous, or an API client with its own token.
        }

        var origin = SourceOrigin(request);
        if (origin is null)
        {
            return "The request names no Origin or Referer; a signed-in browser request must come from this service's own pages.";
        }

        if (!IsTrusted(origin, request))
        {
            return $"The request comes from {origin}, not from this service.";
        }

        if (!string.IsNullOrEmpty(request.Headers[HeaderName]) || request.Path.Equals(BlazorDisconnectPath, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return await antiforgery.IsRequestValidAsync(context)
            ? null
            : $"The request carries neither the {HeaderName} header nor a valid antiforgery token.";
    }

    /// <summary>The origin the browser says the request comes from: Origin, else the origin of Referer; "null" stays "null".</summary>
    private static string? SourceOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (!string.IsNullOrEmpty(origin))
        {
            return origin;
        }

        return Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) ? referer.GetLeftPart(UriPartial.Authority) : null;
    }

    private bool IsTrusted(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var source))
        {
            return false; // "null" (a sandboxed frame, a data: URL, a no-referrer redirect) or garbage
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        return SameOrigin(source, own) || options.Value.TrustedOrigins.Any(t => SameOrigin(source, t));
    }

    private static bool SameOrigin(Uri source, string other) =>
        Uri.TryCreate(other, UriKind.Absolute, out var o)
        && string.Equals(source.Scheme, o.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(source.IdnHost, o.IdnHost, StringComparison.OrdinalIgnoreCase)
        && source.Port == o.Port;
}

/// <summary>Origins besides the request's own that may send cookie-authenticated changes: <c>PublicBaseUrl</c>, for a service behind a proxy.</summary>
public sealed class RequestForgeryOptions
{
    public List<string> TrustedOrigins { get; } = [];
}

public static class RequestForgeryGuardExtensions
{
    public static IServiceCollection AddRequestForgeryGuard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAntiforgery(); // the UI configures its cookie (UiSetup); the guard only needs the service
        return services.Configure<RequestForgeryOptions>(o =>
        {
            if (Uri.TryCreate(configuration["PublicBaseUrl"], UriKind.Absolute, out var publicBase))
            {
                o.TrustedOrigins.Add(publicBase.GetLeftPart(UriPartial.Authority));
            }
        });
    }

    /// <summary>After <c>UseAuthentication</c> (an antiforgery token is bound to the signed-in user), before any endpoint.</summary>
    public static IApplicationBuilder UseRequestForgeryGuard(this IApplicationBuilder app) => app.UseMiddleware<RequestForgeryGuard>();
}
