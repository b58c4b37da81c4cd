using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Notifications;

/// <summary>Models and services for the notification tests.</summary>
internal static class TestEmails
{
    /// <summary>Friday 14 April 2028, 23:59 Stockholm (summer time): 21:59 UTC.</summary>
    public static readonly DateTimeOffset Due = StockholmTime.Default.DeadlineInstant(new DateOnly(2028, 4, 14));

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static EmailOptions Options(string? templatesFolder = null) => new()
    {
        From = "Årshjulet <arshjul@region.example>",
        PublicBaseUrl = "https://arshjul.region.example/",
        TemplatesFolder = templatesFolder ?? Path.Combine(Path.GetTempPath(), "annualcycle-no-templates"),
    };

    public static EmailModel Reminder(
        EmailLanguage language = EmailLanguage.Swedish,
        int workingDaysLeft = 3,
        string? comment = null,
        string organisation = "region-vasterbotten",
        string address = "sekreterare@region.example",
        EmailKind kind = EmailKind.Reminder) => new(
        kind,
        new EmailRecipient("Anna Sekreterare", address, language),
        organisation,
        "Budget och verksamhetsplan",
        2028,
        "Årsredovisning",
        "Hälso- och sjukvårdsnämnden",
        Due,
        workingDaysLeft,
        EmailModel.StepPath(42),
        comment);

    public static FluidEmailRenderer Renderer(string? templatesFolder = null)
    {
        var options = Options(templatesFolder);
        return new FluidEmailRenderer(new TemplateStore(options.TemplatesFolder), Microsoft.Extensions.Options.Options.Create(options), StockholmTime.Default);
    }

    public static FakeTimeProvider Clock() => new(Now);

    public static MimeMessageBuilder Builder(TimeProvider? clock = null)
    {
        clock ??= Clock();
        return new MimeMessageBuilder(Microsoft.Extensions.Options.Options.Create(Options()), new IcsFeedBuilder(clock, StockholmTime.Default), clock);
    }

    public static DeadlineEvent Deadline(DateTimeOffset? due = null, int sequence = 0) =>
        new("42", sequence, "Sista dag: Årsredovisning – Hälso- och sjukvårdsnämnden", due ?? Due, "https://arshjul.region.example/steg/42");

    public static IOptions<EmailOptions> SmtpOptions(string host, int port, SmtpSecurity security, bool acceptAnyCertificate = false, int timeoutSeconds = 30)
    {
        var options = Options();
        options.Smtp = new AnnualCycle.Notifications.SmtpOptions
        {
            Host = host,
            Port = port,
            Security = security,
            AcceptAnyCertificate = acceptAnyCertificate,
            TimeoutSeconds = timeoutSeconds,
        };
        return Microsoft.Extensions.Options.Options.Create(options);
    }
}
