using Hangfire;
using Hangfire.States;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>Something that wakes <see cref="TimerJob.RunDueAsync"/> at an instant. Hangfire in the service; a recorder in tests.</summary>
public interface ITimerWakeups
{
    /// <summary>Schedules one wake-up at <paramref name="at"/> (already rounded up to a whole second) and returns its job id.</summary>
    string Schedule(DateTimeOffset at);

    /// <summary>False when the job is unknown to the job storage (lost with an in-memory storage) or finished without running.</summary>
    bool IsAlive(string jobId);
}

public sealed class HangfireTimerWakeups(IBackgroundJobClient jobs, JobStorage storage) : ITimerWakeups
{
    public string Schedule(DateTimeOffset at) => jobs.Schedule<TimerJob>(j => j.RunDueAsync(), at);

    public bool IsAlive(string jobId)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        return data is not null && (data.State == ScheduledState.StateName || data.State == EnqueuedState.StateName || data.State == ProcessingState.StateName);
    }
}
