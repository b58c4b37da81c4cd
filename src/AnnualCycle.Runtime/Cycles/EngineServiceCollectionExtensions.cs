using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Cycles.Timers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime.Cycles;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The process runtime: command handlers, queries, the timer dispatcher with its Hangfire wake-ups, and the
    /// start-up reconciliation that also registers the minute sweep. Needs <c>AddAnnualCycleRuntime</c> (data,
    /// Hangfire, <see cref="TimeProvider"/>) and an <c>ICyclePlanner</c> (the definitions).
    /// </summary>
    public static IServiceCollection AddAnnualCycleEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The endpoints require an authenticated caller; the schemes come from the people module (idempotent).
        services.AddAuthorization();
        services.AddScoped<PeopleDirectory>();
        services.AddScoped<StepLifecycle>();

        services.AddScoped<StartCycleHandler>();
        services.AddScoped<SubmitStepHandler>();
        services.AddScoped<ApproveStepHandler>();
        services.AddScoped<ReturnStepHandler>();
        services.AddScoped<SkipStepHandler>();
        services.AddScoped<CancelStepHandler>();
        services.AddScoped<ConfirmStepHandler>();
        services.AddScoped<RemindNowHandler>();
        services.AddScoped<RescheduleStepHandler>();

        services.AddScoped<ListCyclesQuery>();
        services.AddScoped<GetCycleQuery>();
        services.AddScoped<ListStepsQuery>();
        services.AddScoped<GetStepQuery>();
        services.AddScoped<MyTasksQuery>();
        services.AddScoped<CycleJournalQuery>();
        services.AddScoped<PreviewCycleQuery>();
        services.AddScoped<Account.MySettingsHandler>();
        services.AddScoped<Arshjul.ArshjulQuery>();
        services.AddScoped<Meetings.ImportMeetingsHandler>();
        services.AddScoped<Meetings.MeetingCalendarQuery>();
        services.TryAddSingleton(_ => AnnualCycle.Data.DataFolder.From(configuration));
        services.TryAddSingleton(_ => Deliverables.UploadOptions.From(configuration));
        services.AddScoped<Deliverables.UploadDeliverableHandler>();
        services.AddScoped<Deliverables.DeliverableFilesQuery>();

        services.TryAddScoped<ITimerWakeups, HangfireTimerWakeups>();
        services.AddScoped<TimerScheduler>();
        services.AddScoped<TimerDispatcher>();
        services.AddScoped<TimerJob>();
        services.AddHostedService<TimerReconciler>();
        return services;
    }
}
