using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The web host as a child process (<c>dotnet AnnualCycle.Web.dll</c>), configured by environment variables as an
/// operator would, so its memory is measured alone: <see cref="PeakResidentBytes"/> is its VmHWM.
/// </summary>
public sealed class BenchWebHost : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BenchWebHost(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<BenchWebHost> StartAsync(string webDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        if (!File.Exists(webDll))
        {
            throw new UsageException($"The web host {webDll} does not exist: build the solution, or name it with --web-dll.");
        }

        var address = new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(webDll)! };
        info.ArgumentList.Add(webDll);
        info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the web host.");
        var host = new BenchWebHost(process, address);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
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
