using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster started from the machine's server binaries in a temporary folder, for tests on a
/// machine without Docker. initdb and postgres refuse to run as root, so as root they run as the OS user
/// <c>postgres</c> (created by Debian's package). Trust authentication on 127.0.0.1 only.
/// </summary>
public sealed class ThrowawayPostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private ThrowawayPostgresCluster(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    private const string FolderPrefix = "annualcycle-pg-";

    public int Port { get; }

    public bool IsRunning { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> that has initdb, or null.</summary>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    public static async Task<ThrowawayPostgresCluster> StartNewAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql.");
        var asRoot = Environment.UserName == "root" || GetEuid() == 0;
        SweepLeftovers(TimeSpan.FromMinutes(30));
        var dir = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        var cluster = new ThrowawayPostgresCluster(bin, dir, FreePort(), asRoot);
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dir], "/");
        }

        await cluster.RunPgAsync("initdb", ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await cluster.StartAsync();
        return cluster;
    }

    /// <summary>
    /// Deletes the folders of throwaway clusters that killed test runs left behind (a test host killed with its process
    /// group takes its server along but never reaches its clean-up; each folder holds hundreds of MB): those whose server
    /// is not running and that nothing touched for <paramref name="idle"/>. A cluster that is starting, running or
    /// stopped for a while by a fault test is younger or alive, and stays.
    /// </summary>
    internal static void SweepLeftovers(TimeSpan idle)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < idle)
                {
                    continue;
                }

                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}"))
                {
                    continue;
                }

                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run's folder that is not ours to read or already gone: leave it.
            }
        }
    }

    public async Task StartAsync()
    {
        var options = $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunPgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "30", "-o", options, "start"]);
        IsRunning = true;
    }

    /// <param name="immediate">True (default): as a crash, without a checkpoint. False: a fast shutdown, as an administrator's restart.</param>
    public async Task StopAsync(bool immediate = true)
    {
        if (!IsRunning)
        {
            return;
        }

        await RunPgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", immediate ? "immediate" : "fast", "-w", "stop"]);
        IsRunning = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; never fail a test run on clean-up.
            }
        }
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var exe = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args], _dir) : RunAsync(exe, args, _dir);
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static int GetEuid()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return status is null ? -1 : int.Parse(status.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
