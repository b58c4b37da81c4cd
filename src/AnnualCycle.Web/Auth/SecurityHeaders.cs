using System.Security.Cryptography;

namespace AnnualCycle.Web.Auth;

/// <summary>
/// The browser-side defences every response carries (pages, API answers, static files, errors alike): a
/// Content-Security-Policy that lets only this service's own scripts run and nobody frame its pages, no content-type
/// sniffing, and no page address leaking to other sites.
/// </summary>
/// <remarks>
/// <para>The policy fits Blazor Server with MudBlazor: scripts only from this origin (<c>blazor.web.js</c>,
/// <c>MudBlazor.min.js</c>) plus the one inline script Blazor writes, the import map, which carries this request's
/// nonce (<see cref="NonceOf"/>, written by <c>App.razor</c>); the circuit's WebSocket is same-origin
/// (<c>connect-src 'self'</c>); styles allow inline because MudBlazor sets <c>style</c> attributes and its theme
/// writes a <c>&lt;style&gt;</c> element; images and fonts from this origin and <c>data:</c> (the favicon, MudBlazor's
/// inline icons). <c>frame-ancestors 'none'</c> (with <c>X-Frame-Options: DENY</c> for older browsers) stops
/// click-jacking. No <c>form-action</c>: the sign-in with OpenID Connect leaves for the provider's site.</para>
/// <para><c>Referrer-Policy: same-origin</c> keeps step addresses (<c>/steg/{id}</c>) from the sites a deliverable
/// link leads to, while this service's own requests keep their <c>Referer</c>, which <see cref="RequestForgeryGuard"/>
/// reads when a browser leaves out <c>Origin</c>.</para>
/// <para>Set when the response starts, so that the exception handler clearing a failed response's headers cannot
/// take them off.</para>
/// </remarks>
public static class SecurityHeaders
{
    private const string NonceKey = "AnnualCycle.CspNonce";

    /// <summary>This request's script nonce (base64, 128 random bits), made on first use.</summary>
    public static string NonceOf(HttpContext context)
    {
        if (context.Items.TryGetValue(NonceKey, out var value) && value is string nonce)
        {
            return nonce;
        }

        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>The Content-Security-Policy for a response whose scripts carry <paramref name="nonce"/>.</summary>
    public static string Policy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>Adds the headers to every response; call first, before anything that may answer.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = Policy(NonceOf(context));
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
