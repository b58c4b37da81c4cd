namespace AnnualCycle.Cli;

/// <summary>The <c>--smtp host:port</c> switch of <c>bench</c> and <c>simulate</c>: a plain, unauthenticated SMTP server
/// such as a mail catcher, as configuration overrides.</summary>
public static class SmtpSwitch
{
    /// <exception cref="UsageException">The value is not <c>host:port</c> with a port from 1 to 65535.</exception>
    public static void Apply(string smtp, IDictionary<string, string?> overrides)
    {
        var colon = smtp.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(smtp[(colon + 1)..], out var port) || port is <= 0 or > 65535)
        {
            throw new UsageException($"--smtp wants host:port, not '{smtp}'.");
        }

        overrides["Email:Smtp:Host"] = smtp[..colon];
        overrides["Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture);
        overrides["Email:Smtp:Security"] = "None";
        overrides["Email:Smtp:UserName"] = "";
    }
}
