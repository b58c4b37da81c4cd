using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Notifications.Sending;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Email: options (section <c>Email</c> and root <c>PublicBaseUrl</c>), the template renderer, the MIME builder,
    /// the .ics builder, the retry policy and the transport — MailKit SMTP when <c>Email:Smtp:Host</c> is set, else
    /// <c>.eml</c> files in <c>{dataFolder}/mail-pickup</c>. Needs a <see cref="TimeProvider"/> and the zone
    /// (<see cref="StockholmTime"/>); the engine's composition root registers both.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="dataFolder">The data folder; the pick-up folder is <c>mail-pickup/</c> in it.</param>
    /// <param name="repositoryRoot">The folder holding <c>workflows/</c>, which a relative <c>Email:TemplatesFolder</c>
    /// (default <c>workflows/templates</c>) is taken from; the working directory when null.</param>
    public static IServiceCollection AddAnnualCycleNotifications(
        this IServiceCollection services,
        IConfiguration configuration,
        string dataFolder,
        string? repositoryRoot = null)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .Configure(o => o.PublicBaseUrl = AnnualCycle.Notifications.PublicBaseUrl.From(configuration))
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "PublicBaseUrl must be an absolute URL, e.g. https://arshjul.region.se.")
            .Validate(o => o.Smtp.TimeoutSeconds > 0, "Email:Smtp:TimeoutSeconds must be positive.")
            .ValidateOnStart();

        services.AddSingleton(sp => new TemplateStore(sp.GetRequiredService<IOptions<EmailOptions>>().Value.TemplatesFolder, repositoryRoot));
        services.AddSingleton<IEmailRenderer>(sp => new FluidEmailRenderer(
            sp.GetRequiredService<TemplateStore>(),
            sp.GetRequiredService<IOptions<EmailOptions>>(),
            sp.GetRequiredService<StockholmTime>(),
            sp.GetService<ILogger<FluidEmailRenderer>>()));
        services.AddSingleton(sp => new IcsFeedBuilder(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StockholmTime>()));
        services.AddSingleton<MimeMessageBuilder>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton(_ => new RetryPolicy(Random.Shared));
        services.AddSingleton<IMailTransport>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmailOptions>>();
            return options.Value.UsesSmtp
                ? new SmtpMailTransport(options, null, sp.GetService<ILogger<SmtpMailTransport>>())
                : new PickupFolderMailTransport(Path.Combine(dataFolder, PickupFolderMailTransport.FolderName));
        });
        return services;
    }
}
