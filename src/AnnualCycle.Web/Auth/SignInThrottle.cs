using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
// The project-wide Microsoft.AspNetCore.Mvc import has a SignInResult of its own.
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace AnnualCycle.Web.Auth;

/// <summary>Limits on failed password sign-ins (configuration section <c>SignIn</c>).</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Failed sign-ins one account (by its normalised email, known or not) may have within <see cref="Window"/>.</summary>
    public int FailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins one client address may have within <see cref="Window"/>, over all accounts.</summary>
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>The sliding window the failures are counted in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The window slides in this many steps: a throttled caller may try again after at most Window / Segments.</summary>
    public int Segments { get; set; } = 3;
}

/// <summary>
/// Counts failed password sign-ins per client address and per account with .NET's rate limiters (the sliding-window
/// <see cref="PartitionedRateLimiter{TResource}"/> ASP.NET Core's rate-limiting middleware is built on). When either is
/// spent, sign-in is refused with 429 and Retry-After before the password is even looked at.
/// </summary>
/// <remarks>
/// Only failures count, which the rate-limiting middleware cannot do (it takes a permit for every request before the
/// endpoint runs, and the account is only known from the body). The account itself is never locked: an account under
/// attack keeps its live sessions, bearer and refresh tokens, and its owner signs in again once the window has slid on.
/// The account key is the normalised email whether or not such a user exists, so a throttled answer tells nobody
/// whether an account exists. The limiters run on the runtime's monotonic clock: .NET's rate limiters take no
/// TimeProvider (dotnet/runtime#106447). Per process: with several instances, each counts its own failures.
/// </remarks>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;
    private readonly TimeSpan _step;

    public SignInThrottle(IOptions<SignInThrottleOptions> options)
    {
        var o = options.Value;
        _step = o.Window / Math.Max(1, o.Segments);
        _perAddress = Partitioned(o.FailuresPerAddress, o);
        _perAccount = Partitioned(o.FailuresPerAccount, o);
    }

    /// <summary>Null when this address may try this account now; else how long to wait.</summary>
    public TimeSpan? RetryAfter(string address, string account)
    {
        foreach (var (limiter, key) in new[] { (_perAddress, address), (_perAccount, account) })
        {
            using var lease = limiter.AttemptAcquire(key, permitCount: 0); // asks, takes nothing
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : _step;
            }
        }

        return null;
    }

    /// <summary>Counts a failed sign-in against both the address and the account.</summary>
    public void RecordFailure(string address, string account)
    {
        using var a = _perAddress.AttemptAcquire(address);
        using var b = _perAccount.AttemptAcquire(account);
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Partitioned(int limit, SignInThrottleOptions o) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit),
            Window = o.Window,
            SegmentsPerWindow = Math.Max(1, o.Segments),
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}

/// <summary>What a password sign-in came to. <see cref="RetryAfter"/> is set when it was throttled.</summary>
public sealed record PasswordSignInOutcome(bool Succeeded, TimeSpan? RetryAfter)
{
    public bool Throttled => RetryAfter is not null;
}

/// <summary>
/// The one password sign-in of the API and the UI: throttled per address and account, one timing and one answer for an
/// unknown email, a wrong password and a locked account, and no lockout on failure (see <see cref="SignInThrottle"/>).
/// </summary>
public sealed class PasswordSignIn(SignInManager<AppUser> signIn, SignInThrottle throttle)
{
    private static readonly AppUser TimingDummy = new() { UserName = "timing@invalid", DisplayName = "" };
    private static readonly Lazy<string> TimingDummyHash = new(() => new PasswordHasher<AppUser>().HashPassword(TimingDummy, Guid.NewGuid().ToString()));

    /// <summary>Signs in with <paramref name="scheme"/> (the cookie or the bearer token) when the password fits.</summary>
    public async Task<PasswordSignInOutcome> SignInAsync(HttpContext http, string email, string password, string scheme)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var account = signIn.UserManager.NormalizeEmail(email.Trim()) ?? "";
        if (throttle.RetryAfter(address, account) is { } wait)
        {
            return new PasswordSignInOutcome(false, wait);
        }

        signIn.AuthenticationScheme = scheme;
        var user = await signIn.UserManager.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Hash anyway, so an unknown email takes as long to refuse as a wrong password.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(TimingDummy, TimingDummyHash.Value, password);
        }

        // lockoutOnFailure: false. Identity's lockout would lock the account for everyone, its owner included, and
        // end its sessions; the throttle slows the guesser instead. A lock set by an administrator still refuses.
        var result = user is null ? SignInResult.Failed : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            return new PasswordSignInOutcome(true, null);
        }

        throttle.RecordFailure(address, account);
        return new PasswordSignInOutcome(false, null);
    }

    /// <summary>Retry-After in whole seconds, rounded up.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
