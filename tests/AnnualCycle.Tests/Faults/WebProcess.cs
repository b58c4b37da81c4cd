using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// The real web host as a child process (<c>dotnet AnnualCycle.Web.dll</c>, the build of this configuration), so a
/// fault test can <see cref="Kill"/> it with SIGKILL — no finally block, no graceful shutdown — and start it again on
/// the same data. Configuration goes in as environment variables, as an operator would give it.
/// </summary>
public sealed class WebProcess : IDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public WebProcess(IDictionary<string, string> settings)
    {
        _settings = new Dictionary<string, string>(settings);
        Port = FreePort();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int Starts { get; private set; }

    /// <summary>Everything the processes wrote, for failure messages (the last 6,000 characters).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 6000 ? text[^6000..] : text;
            }
        }
    }

    /// <summary>Starts the host and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The web process is already running.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        info.ArgumentList.Add(WebDll);
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__AnnualCycle"] = "Information";
        foreach (var (key, value) in _settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the web host.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        Append($"--- start {Starts} (pid {process.Id}) ---");

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(90)))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The web host exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The web host was not ready within {watch.Elapsed.TotalSeconds:0} s:\n{Output}");
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // SIGKILL on Linux
            _process.WaitForExit(15_000);
        }

        Append($"--- killed (pid {_process.Id}) ---");
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

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

    /// <summary>The folder with <c>AnnualCycle.sln</c>, above the test assembly.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnnualCycle.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AnnualCycle.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The web host built with the same configuration as these tests (Debug or Release), by the solution build.</summary>
    public static string WebDll
    {
        get
        {
            // …/tests/AnnualCycle.Tests/bin/{Configuration}/net10.0/
            var tfmFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmFolder.Parent!.Name;
            var dll = Path.Combine(RepositoryRoot, "src", "AnnualCycle.Web", "bin", configuration, tfmFolder.Name, "AnnualCycle.Web.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} does not exist: build the solution (dotnet build AnnualCycle.sln) first.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
