using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Notifications.Sending;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Notifications;

public sealed class NotificationsServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("annualcycle-data-").FullName;

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);

    [Fact]
    public void WithoutSmtpHost_UsesThePickupFolderInTheDataFolder()
    {
        using var provider = Build(new Dictionary<string, string?> { ["PublicBaseUrl"] = "https://arshjul.region.se" });

        var transport = Assert.IsType<PickupFolderMailTransport>(provider.GetRequiredService<IMailTransport>());
        Assert.Equal(Path.Combine(_dataFolder, "mail-pickup"), transport.Folder);
        Assert.Equal("https://arshjul.region.se/steps/1", provider.GetRequiredService<IOptions<EmailOptions>>().Value.Link("/steps/1"));
        Assert.NotNull(provider.GetRequiredService<EmailComposer>());
        Assert.IsType<FluidEmailRenderer>(provider.GetRequiredService<IEmailRenderer>());
        Assert.NotNull(provider.GetRequiredService<RetryPolicy>());
    }

    [Fact]
    public void WithSmtpHost_UsesMailKit_AndBindsEveryKey()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "smtp.region.se",
            ["Email:Smtp:Port"] = "587",
            ["Email:Smtp:Security"] = "StartTls",
            ["Email:Smtp:UserName"] = "arshjul",
            ["Email:Smtp:Password"] = "hemligt",
            ["Email:From"] = "Årshjulet <arshjul@region.se>",
        });

        Assert.IsType<SmtpMailTransport>(provider.GetRequiredService<IMailTransport>());
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal(587, options.Smtp.Port);
        Assert.Equal(SmtpSecurity.StartTls, options.Smtp.Security);
        Assert.Equal("arshjul", options.Smtp.UserName);
        Assert.Equal("hemligt", options.Smtp.Password);
        Assert.False(options.Smtp.AcceptAnyCertificate);
        Assert.Equal("Årshjulet <arshjul@region.se>", options.From);
    }

    [Fact]
    public void RelativePublicBaseUrl_FailsValidation()
    {
        using var provider = Build(new Dictionary<string, string?> { ["PublicBaseUrl"] = "arshjul" });
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // What the engine's composition root registers before the notifications library: the clock and the zone.
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(StockholmTime.Default);
        services.AddAnnualCycleNotifications(configuration, _dataFolder);
        return services.BuildServiceProvider();
    }
}
