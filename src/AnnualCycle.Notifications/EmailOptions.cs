namespace AnnualCycle.Notifications;

/// <summary>How the SMTP connection is secured (<c>Email:Smtp:Security</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP, no TLS (a local relay or a test server).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (typically port 587); fails if the server cannot.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, typically port 465).</summary>
    Tls,
}

/// <summary>The SMTP server, section <c>Email:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; when empty no SMTP server is used and messages go to the pick-up folder.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    /// <summary>Authenticate only when a user name is given.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Accept any server certificate. For tests against a self-signed server only; never in production,
    /// where it would let anyone on the path read the reminders.
    /// </summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>Connect, command and send timeout; a message not accepted within it is a temporary failure.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// SMTP connections the outbox sends over at once (1–16), each kept for a whole run. More is faster where the
    /// server allows it; a crash of the service may send one message twice per connection.
    /// </summary>
    public int Connections { get; set; } = 1;
}

/// <summary>
/// Email settings: section <c>Email</c> plus the root key <c>PublicBaseUrl</c>, which every link in a message
/// starts with.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, e.g. <c>Årshjulet &lt;arshjul@regionvasterbotten.se&gt;</c>.</summary>
    public string From { get; set; } = "Årshjulet <arshjul@annualcycle.invalid>";

    /// <summary>Root key <c>PublicBaseUrl</c>, e.g. <c>https://arshjul.example.se</c>; no trailing slash needed.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// Folder of organisation template overrides (<c>&lt;organisation&gt;/&lt;language&gt;/&lt;kind&gt;.html.liquid</c>);
    /// a relative path is taken from the working directory and reported as written.
    /// </summary>
    public string TemplatesFolder { get; set; } = Path.Combine("workflows", "templates");

    /// <summary>True when an SMTP host is configured; otherwise the pick-up folder is used.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>An absolute link into the web UI: <c>{PublicBaseUrl}{path}</c>.</summary>
    public string Link(string path) => PublicBaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}
