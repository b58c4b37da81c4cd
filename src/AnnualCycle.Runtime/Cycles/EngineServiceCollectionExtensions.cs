using AnnualCycle.Runtime.Cycles.Commands;

namespace AnnualCycle.Runtime.Cycles;

internal static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The process runtime (part of <see cref="AnnualCycleCore"/>): command handlers, queries, the timer dispatcher with
    /// its wake-ups (a seam: Hangfire by default), and the start-up reconciliation that also registers the minute sweep.
    /// </summary>
    public static IServiceCollection AddAnnualCycleEngine(this IServiceCollection services, IConfiguration configuration)
    {
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
        services.AddScoped<Reports.CycleExportQuery>();
        services.AddScoped<Reports.LeadTimeQuery>();
        services.AddScoped<PreviewCycleQuery>();
        services.AddScoped<Account.MySettingsHandler>();
        services.AddScoped<Arshjul.ArshjulQuery>();
        services.AddScoped<Meetings.ImportMeetingsHandler>();
        services.AddScoped<Meetings.MeetingCalendarQuery>();
        services.AddScoped<Meetings.MeetingImportVersionsQuery>();
        services.AddSingleton(Deliverables.UploadOptions.From(configuration));
        services.AddScoped<Deliverables.UploadDeliverableHandler>();
        services.AddScoped<Deliverables.RemoveDeliverableHandler>();
        services.AddScoped<Deliverables.DeliverableFilesQuery>();

        services.AddSingleton<ITimerWakeups, HangfireTimerWakeups>();
        services.AddScoped<TimerScheduler>();
        services.AddScoped<TimerDispatcher>();
        services.AddScoped<TimerJob>();
        services.AddScoped<TimerAdministration>();
        services.AddHostedService<TimerReconciler>();
        return services;
    }
}
