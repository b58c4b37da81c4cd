namespace AnnualCycle.Runtime.Calendar;

internal static class CalendarServiceCollectionExtensions
{
    /// <summary>Calendar subscriptions: the token store and the feed (part of <see cref="AnnualCycleCore"/>).</summary>
    public static IServiceCollection AddAnnualCycleCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CalendarOptions>()
            .Configure(o => o.PublicBaseUrl = AnnualCycle.Notifications.PublicBaseUrl.From(configuration))
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "PublicBaseUrl must be an absolute URL, e.g. https://arshjul.region.se.");
        services.AddScoped<CalendarTokens>();
        services.AddScoped<CalendarFeed>();
        return services;
    }
}
