using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.Email;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime;

/// <summary>
/// The services a host or a test may replace after <see cref="AnnualCycleCore.AddAnnualCycleCore"/>, and nothing else.
/// Each <c>Use…</c> replaces the core's one registration (so the host never ends up with two), always as a singleton.
/// <list type="table">
/// <item><term>clock (<see cref="TimeProvider"/>)</term><description>default the system clock; a fake clock in tests,
/// the simulated clock in <c>simulate</c>.</description></item>
/// <item><term>timer wake-ups (<see cref="ITimerWakeups"/>)</term><description>default Hangfire jobs on the configured
/// storage; a recorder in tests, counted in-memory Hangfire in <c>bench</c>, none in <c>simulate</c> (it fires the
/// dispatcher itself).</description></item>
/// <item><term>outbox wake-up (<see cref="IOutboxWakeup"/>)</term><description>default one Hangfire job per commit that
/// recorded notifications; a counter in tests, none in tools (the minute sweep or the tool sends the outbox).</description></item>
/// <item><term>mail transport (<see cref="IMailTransport"/>)</term><description>default MailKit SMTP when
/// <c>Email:Smtp:Host</c> is set, else <c>.eml</c> files in the pick-up folder; counted in <c>bench</c>, a failing
/// or crashing transport in the fault tests.</description></item>
/// <item><term>definitions (<see cref="IWorkflowCatalog"/>, <see cref="ICyclePlanner"/>)</term><description>default the
/// workflows folder and the planner over the imported meeting calendar; the engine tests plan a hand-built region.</description></item>
/// </list>
/// </summary>
/// <example>
/// A test host: <c>services.AddAnnualCycleCore(configuration).UseClock(fakeClock).UseTimerWakeups(recorder);</c>
/// The web host under test (<c>WebApplicationFactory</c>): <c>builder.ConfigureTestServices(s => s.UseClock(fakeClock));</c>
/// </example>
public static class CoreSeams
{
    /// <summary>The service types of the seams; every other core registration is the same in every host.</summary>
    public static readonly IReadOnlyList<Type> ServiceTypes =
    [
        typeof(TimeProvider), typeof(ITimerWakeups), typeof(IOutboxWakeup), typeof(IMailTransport), typeof(IWorkflowCatalog), typeof(ICyclePlanner),
    ];

    public static IServiceCollection UseClock(this IServiceCollection services, TimeProvider clock) =>
        services.Replace(ServiceDescriptor.Singleton(typeof(TimeProvider), clock));

    public static IServiceCollection UseTimerWakeups(this IServiceCollection services, ITimerWakeups wakeups) =>
        services.Replace(ServiceDescriptor.Singleton(typeof(ITimerWakeups), wakeups));

    public static IServiceCollection UseOutboxWakeup(this IServiceCollection services, IOutboxWakeup wakeup) =>
        services.Replace(ServiceDescriptor.Singleton(typeof(IOutboxWakeup), wakeup));

    public static IServiceCollection UseMailTransport(this IServiceCollection services, Func<IServiceProvider, IMailTransport> transport) =>
        services.Replace(ServiceDescriptor.Singleton(transport));

    /// <summary>Plans from <paramref name="catalog"/> and <paramref name="planner"/> instead of the workflows folder.</summary>
    public static IServiceCollection UseDefinitions(this IServiceCollection services, IWorkflowCatalog catalog, ICyclePlanner planner) =>
        services.Replace(ServiceDescriptor.Singleton(typeof(IWorkflowCatalog), catalog))
            .Replace(ServiceDescriptor.Singleton(typeof(ICyclePlanner), planner));
}
