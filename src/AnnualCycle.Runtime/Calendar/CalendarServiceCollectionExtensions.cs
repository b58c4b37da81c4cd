using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>Calendar subscriptions: the token store and the feed. Needs the data, people and definitions modules.</summary>
    public static IServiceCollection AddAnnualCycleCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CalendarOptions>()
            .Configure(o => o.PublicBaseUrl = AnnualCycle.Notifications.PublicBaseUrl.From(configuration))
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "PublicBaseUrl must be an absolute URL, e.g. https://arshjul.region.se.");
        services.TryAddScoped<CalendarTokens>();
        services.TryAddScoped<CalendarFeed>();
        return services;
    }
}
