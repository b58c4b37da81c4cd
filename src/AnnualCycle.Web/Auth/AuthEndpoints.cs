using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Web.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Sign-in for API clients, as ASP.NET Core Identity's API endpoints do it: the bearer handler writes
/// <c>{tokenType, accessToken, expiresIn, refreshToken}</c>.
/// </summary>
public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth").AllowAnonymous();

        group.MapPost("/login", LoginAsync)
            .WithName("Login")
            .WithSummary("Sign in with email and password; returns a bearer access token and a refresh token (or, with ?useCookies=true, sets the application cookie). Too many failures from one address or for one account: 429 with Retry-After.")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/logout", async (SignInManager<AppUser> signIn) =>
            {
                await signIn.SignOutAsync();
                return TypedResults.NoContent();
            })
            .WithName("Logout")
            .WithSummary("Sign out of the cookie session (bearer tokens simply expire).");

        group.MapPost("/refresh", RefreshAsync)
            .WithName("Refresh")
            .WithSummary("Trade a refresh token for a new access token.")
            .Produces<AccessTokenResponse>();
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> LoginAsync(LoginRequest request, bool? useCookies, HttpContext http, PasswordSignIn passwords)
    {
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            throw new InputException("email", "is required");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            throw new InputException("password", "is required");
        }

        var scheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var outcome = await passwords.SignInAsync(http, request.Email, request.Password, scheme);
        if (outcome.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = PasswordSignIn.RetryAfterSeconds(wait);
            return TypedResults.Problem(
                title: "Too many failed sign-ins",
                detail: "Too many failed sign-ins from this address or for this account. Try again after the time in Retry-After.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (!outcome.Succeeded)
        {
            // One answer for a wrong password, an unknown email and a locked account: the caller learns nothing about which.
            return TypedResults.Problem(
                title: "Sign-in failed",
                detail: "The email or password is wrong, or the account is locked.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return TypedResults.Empty; // The bearer handler has written the token response (or the cookie is set).
    }

    private static async Task<Results<SignInHttpResult, ChallengeHttpResult>> RefreshAsync(
        RefreshRequest request,
        SignInManager<AppUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        TimeProvider clock)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);

        // A refresh token dies with its expiry or when the user's security stamp changes (password reset, lock).
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user
            || !await signIn.CanSignInAsync(user)
            || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return TypedResults.Challenge();
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }
}
