using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>How the test SMTP server behaves.</summary>
public enum SmtpServerMode
{
    /// <summary>Plain SMTP, accepts everything (aiosmtpd.handlers.Mailbox).</summary>
    Plain,

    /// <summary>STARTTLS required, with a self-signed certificate made by the test.</summary>
    StartTls,

    /// <summary>Implicit TLS from the first byte (SMTPS, what port 465 does), with a self-signed certificate.</summary>
    Tls,

    /// <summary>Plain SMTP; recipients containing "reject" get 550, "tempfail" 451 (smtp_rejecting.py).</summary>
    Rejecting,

    /// <summary>Plain SMTP that takes messages of at most <see cref="SmtpServerFixture.SizeLimit"/> bytes (aiosmtpd <c>-s</c>): 552 for a larger one.</summary>
    SizeLimited,
}

/// <summary>
/// A real SMTP server for tests: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd</c>) on a free loopback port,
/// delivering into a maildir that <see cref="ReceivedMessages"/> reads back. <see cref="Stop"/> and
/// <see cref="Start"/> again on the same port simulate an outage. Each received message carries the
/// X-MailFrom and X-RcptTo headers the server adds.
/// </summary>
public class SmtpServerFixture : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> MissingReason = new(CheckAiosmtpd);

    private readonly string _root;
    private Process? _process;
    private int _starts;
    private readonly System.Text.StringBuilder _output = new();

    public SmtpServerFixture()
        : this(SmtpServerMode.Plain)
    {
    }

    public SmtpServerFixture(SmtpServerMode mode)
    {
        if (MissingReason.Value is { } reason)
        {
            throw new InvalidOperationException(
                $"The SMTP tests need aiosmtpd for {Python}: {reason}. Install it with: apt-get install -y python3-aiosmtpd");
        }

        Mode = mode;
        _root = Directory.CreateTempSubdirectory("annualcycle-smtp-").FullName;
        Maildir = Path.Combine(_root, "maildir");
        Port = FreePort();
        if (mode is SmtpServerMode.StartTls or SmtpServerMode.Tls)
        {
            (CertificatePath, KeyPath) = WriteSelfSignedCertificate(_root);
        }

        Start();
    }

    public SmtpServerMode Mode { get; }

    /// <summary>The largest message in bytes a <see cref="SmtpServerMode.SizeLimited"/> server takes.</summary>
    public const int SizeLimit = 20_000;

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>The self-signed certificate (PEM) of the TLS modes, for a test that pins it.</summary>
    public string? CertificatePath { get; }

    public string? KeyPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -d logs one "Peer:" line per connection, which ConnectionCount counts.
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-d", "-l", $"{Host}:{Port}" })
        {
            info.ArgumentList.Add(arg);
        }

        if (Mode is SmtpServerMode.StartTls or SmtpServerMode.Tls)
        {
            var prefix = Mode == SmtpServerMode.Tls ? "--smtps" : "--tls";
            info.ArgumentList.Add(prefix + "cert");
            info.ArgumentList.Add(CertificatePath!);
            info.ArgumentList.Add(prefix + "key");
            info.ArgumentList.Add(KeyPath!);
        }

        if (Mode == SmtpServerMode.SizeLimited)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(SizeLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        info.ArgumentList.Add("-c");
        if (Mode == SmtpServerMode.Rejecting)
        {
            info.ArgumentList.Add("smtp_rejecting.Handler");
            info.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "Infrastructure");
        }
        else
        {
            info.ArgumentList.Add("aiosmtpd.handlers.Mailbox");
        }

        info.ArgumentList.Add(Maildir);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // Ready when this run logs "Server is listening" (-d); a TCP probe would count as a connection.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode}: {Output}");
            }

            if (CountLines("Server is listening on") > _starts)
            {
                _starts++;
                return;
            }

            Thread.Sleep(20);
        }

        Stop();
        throw new InvalidOperationException($"aiosmtpd did not listen on {Port} within 15 s: {Output}");
    }

    /// <summary>Kills the server; connections are refused until <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>What the server wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>SMTP connections the server has accepted so far, over all its runs.</summary>
    public int ConnectionCount => CountLines("Peer: (");

    /// <summary>Every message delivered so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> ReceivedMessages()
    {
        var files = new[] { "new", "cur" }
            .Select(d => Path.Combine(Maildir, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(f => new FileInfo(f))
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.Name, StringComparer.Ordinal);
        return files.Select(f => MimeMessage.Load(f.FullName)).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages are in the maildir (delivery is asynchronous to the 250 reply only in theory, but be safe).</summary>
    public IReadOnlyList<MimeMessage> WaitForMessages(int count, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var messages = ReceivedMessages();
            if (messages.Count >= count || watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                return messages;
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }

    private int CountLines(string marker) => Output.Split('\n').Count(l => l.Contains(marker, StringComparison.Ordinal));

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static (string Certificate, string Key) WriteSelfSignedCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static string? CheckAiosmtpd()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} does not exist";
        }

        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var error = check.StandardError.ReadToEnd();
        check.WaitForExit();
        return check.ExitCode == 0 ? null : $"'import aiosmtpd' failed: {error.Trim()}";
    }
}
