using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The web host as a child process (<c>dotnet AnnualCycle.Web.dll</c>), configured by environment variables as an
/// operator would, so its memory is measured alone: <see cref="PeakResidentBytes"/> is its VmHWM. It listens on HTTPS
/// with a certificate made for the run, as in production (its cookies and antiforgery insist on TLS outside
/// Development); <see cref="CreateClient"/> trusts that certificate and no other.
/// </summary>
public sealed class BenchWebHost : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly string _thumbprint;

    private BenchWebHost(Process process, Uri baseAddress, string thumbprint)
    {
        _process = process;
        BaseAddress = baseAddress;
        _thumbprint = thumbprint;
    }

    public Uri BaseAddress { get; }

    /// <summary>The processor time the host has used so far (user and system, all its threads).</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public static async Task<BenchWebHost> StartAsync(string webDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        if (!File.Exists(webDll))
        {
            throw new UsageException($"The web host {webDll} does not exist: build the solution, or name it with --web-dll.");
        }

        var address = new Uri($"https://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}/");
        var (certificatePath, certificatePassword, thumbprint) = WriteCertificate(Path.Combine(Path.GetTempPath(), $"annualcycle-bench-{Guid.NewGuid():N}.pfx"));
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(webDll)! };
        info.ArgumentList.Add(webDll);
        info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Kestrel__Certificates__Default__Path"] = certificatePath;
        info.Environment["Kestrel__Certificates__Default__Password"] = certificatePassword;
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the web host.");
        }
        catch
        {
            File.Delete(certificatePath);
            throw;
        }

        var host = new BenchWebHost(process, address, thumbprint) { _certificatePath = certificatePath };
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = host.CreateClient(TimeSpan.FromSeconds(5));
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The web host exited with {process.ExitCode}:\n{host.Output}");
                }

                try
                {
                    using var response = await http.GetAsync("health/ready", ct);
                    if (response.IsSuccessStatusCode)
                    {
                        return host;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }

                await Task.Delay(200, ct);
            }

            throw new TimeoutException($"The web host was not ready within 120 s:\n{host.Output}");
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private string? _certificatePath;

    /// <summary>A client of the host that trusts its certificate of the run (and no other).</summary>
    public HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            AllowAutoRedirect = false, // a redirect to the sign-in page is a failure, not a dashboard
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && string.Equals(certificate.GetCertHashString(), _thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
        // HTTP/2 over the TLS connection, as a browser does: requests in flight share one connection instead of each
        // opening its own (with HTTP/1.1, a host falling behind got a storm of TLS handshakes on top of its pages).
        return new HttpClient(handler)
        {
            BaseAddress = BaseAddress,
            Timeout = timeout,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid for a day, as a password-protected PFX file.</summary>
    private static (string Path, string Password, string Thumbprint) WriteCertificate(string path)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return (path, password, certificate.Thumbprint);
    }

    /// <summary>The host's peak resident set size so far (Linux <c>/proc/{pid}/status</c> VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        var status = $"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        _process.Refresh();
        return _process.PeakWorkingSet64;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    /// <summary>The first <paramref name="lines"/> lines the host wrote that are not stack frames (<c>at …</c>): what went wrong, not where.</summary>
    public string OutputWithoutStackFrames(int lines)
    {
        lock (_output)
        {
            return string.Join('\n', _output.ToString().Split('\n')
                .Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.Contains("--- End of stack trace", StringComparison.Ordinal))
                .Take(lines));
        }
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(15_000);
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        if (_certificatePath is not null)
        {
            File.Delete(_certificatePath);
        }
    }

    /// <summary>The folder with <c>AnnualCycle.sln</c> above this program (the repository it was built in).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnnualCycle.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new UsageException("bench dashboard runs from a build of the repository (AnnualCycle.sln not found above " + AppContext.BaseDirectory + ").");
    }

    /// <summary><c>src/AnnualCycle.Web/bin/{Configuration}/{tfm}/AnnualCycle.Web.dll</c> of the same build as this program.</summary>
    public static string FindWebDll()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(RepositoryRoot(), "src", "AnnualCycle.Web", "bin", tfm.Parent!.Name, tfm.Name, "AnnualCycle.Web.dll");
    }

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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
