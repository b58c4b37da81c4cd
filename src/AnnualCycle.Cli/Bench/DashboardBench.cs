using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// <c>bench dashboard</c>: the real web host (<c>AnnualCycle.Web.dll</c> as a child process, as an operator runs it)
/// over a catalog of <c>--organisations</c> organisations of 20 bodies each (the shipped Region Västerbotten with six
/// bodies more: three nämnder with their förvaltningar), each with its running cycle, serving the cycle dashboard
/// (<c>/cykler/{id}</c>, server-rendered) at <c>--rate</c> requests per second for <c>--seconds</c>, round robin over
/// the cycles. Measures latency (p50, p95) and the host's peak resident memory (VmHWM); target: ≤ 400 MB.
/// </summary>
public static class DashboardBench
{
    public const double PeakRssTargetMegabytes = 400;
    public const string Password = "Bench-dashboard-2026!";
    private const string Email = "bench-dashboard@bench.invalid";

    /// <param name="WarmUpSeconds">Load at the same rate before the measured window, not counted: what a host serves once
    /// its code is compiled (the first half minute of a fresh host spends a core on tiered JIT compilation).</param>
    public sealed record Options(int Organisations, int Rate, int Seconds, string? WebDll, int WarmUpSeconds = 15);

    public static async Task<BenchResult> RunAsync(IConfiguration configuration, Options options, string? postgres, int year, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-bench-dashboard-").FullName;
        try
        {
            var workflows = Path.Combine(folder, "workflows");
            var organisations = WriteCatalog(workflows, options.Organisations);
            var overlay = new ConfigurationBuilder().AddConfiguration(configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Workflows:Folder"] = workflows }).Build();
            List<Guid> cycles;
            string dataFolder;
            var seeding = Stopwatch.StartNew();
            await using (var env = await BenchEnvironment.CreateAsync(overlay, useConfiguredDatabase: false, smtp: null, ct, postgres))
            {
                dataFolder = env.TempFolder;
                cycles = await SeedAsync(env, organisations, year, ct);
                // The web host gets the database; the environment's temp folder (the SQLite file) must outlive it.
                env.KeepTempFolder();
            }

            seeding.Stop();
            var settings = new Dictionary<string, string>
            {
                ["Workflows:Folder"] = workflows,
                ["DataFolder"] = dataFolder,
                ["Database:Provider"] = postgres is null ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.PostgreSql),
                ["Demo:Seed"] = "false",
                ["Email:Smtp:Host"] = "",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            if (postgres is not null)
            {
                settings["Database:ConnectionString"] = postgres;
            }

            try
            {
                using var web = await BenchWebHost.StartAsync(options.WebDll ?? BenchWebHost.FindWebDll(), settings, ct);
                using var http = web.CreateClient(TimeSpan.FromSeconds(30));
                using (var login = await http.PostAsJsonAsync("api/v1/auth/login", new { email = Email, password = Password }, ct))
                {
                    login.EnsureSuccessStatusCode();
                    using var json = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
                }

                // The same load first, not measured: what a host serves once warmed, not its JIT (a fresh host compiles
                // and recompiles its hot code for tens of seconds). Then what one dashboard costs alone (one request at a
                // time), and its size: the load's latency is that plus queueing.
                var warmUp = await LoadAsync(http, cycles, options.Rate, options.WarmUpSeconds, ct);

                var alone = new List<double>();
                long pageBytes = 0;
                foreach (var id in cycles.Take(10))
                {
                    var started = Stopwatch.GetTimestamp();
                    var page = await http.GetByteArrayAsync($"cykler/{id}", ct);
                    alone.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    pageBytes = Math.Max(pageBytes, page.LongLength);
                }

                alone.Sort();

                var cpuBefore = web.ProcessorTime();
                var (latencies, errors, firstError, elapsed) = await LoadAsync(http, cycles, options.Rate, options.Seconds, ct);
                var cpu = web.ProcessorTime() - cpuBefore;
                var peak = web.PeakResidentBytes();
                web.Stop();
                if (errors > 0)
                {
                    // What the host said about them (its log, warnings and up): the error count alone tells nothing.
                    await Console.Error.WriteLineAsync("The web host's log, without stack frames:\n" + web.OutputWithoutStackFrames(60));
                }

                latencies.Sort();
                double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
                var peakMb = peak / 1048576.0;
                return new BenchResult("dashboard",
                [
                    new("organisations", "organisations × 20 bodies, one running cycle each", options.Organisations, ""),
                    new("seedingSeconds", "seeding (catalog, cycles)", Math.Round(seeding.Elapsed.TotalSeconds, 1), "s"),
                    new("warmUpRequests", $"warm-up, not measured: requests answered 200 of {options.Rate}/s for {options.WarmUpSeconds} s", warmUp.Latencies.Count, ""),
                    new("alone", "one dashboard alone (median of 10, one at a time)", Math.Round(alone[alone.Count / 2], 1), "ms"),
                    new("pageKilobytes", "dashboard page size (HTML)", Math.Round(pageBytes / 1024.0, 1), "KB"),
                    new("requests", "dashboard requests answered 200", latencies.Count, "", $"{options.Rate}/s for {options.Seconds} s"),
                    new("errors", firstError is null ? "requests failed or not 200" : "requests failed or not 200, the first: " + firstError, errors, "", "= 0", errors == 0),
                    new("rate", "achieved request rate", Math.Round((latencies.Count + errors) / Math.Max(elapsed.TotalSeconds, 1e-9), 1), "/s"),
                    new("cpuPerRequest", "the host's processor time per request under the load", Math.Round(cpu.TotalMilliseconds / Math.Max(latencies.Count + errors, 1), 1), "ms"),
                    new("p50", "latency p50", Math.Round(Percentile(0.50), 1), "ms"),
                    new("p95", "latency p95", Math.Round(Percentile(0.95), 1), "ms"),
                    new("peakRssMegabytes", "web host peak resident memory (VmHWM)", Math.Round(peakMb, 1), "MB", $"<= {PeakRssTargetMegabytes:0} MB", peakMb > 0 && peakMb <= PeakRssTargetMegabytes),
                ]);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                TryDelete(dataFolder);
            }
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>Fires one GET every 1/rate s (never waiting for the previous answer) for the given seconds.</summary>
    private static async Task<(List<double> Latencies, int Errors, string? FirstError, TimeSpan Elapsed)> LoadAsync(HttpClient http, List<Guid> cycles, int rate, int seconds, CancellationToken ct)
    {
        var latencies = new List<double>();
        var errors = 0;
        string? firstError = null;
        var total = rate * seconds;
        var requests = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            var id = cycles[i % cycles.Count];
            requests.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync($"cykler/{id}", HttpCompletionOption.ResponseContentRead, ct);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var failure = response.IsSuccessStatusCode ? null : $"GET /cykler/{id}: {(int)response.StatusCode} {response.StatusCode} {response.Headers.Location}";
                    lock (latencies)
                    {
                        if (failure is null)
                        {
                            latencies.Add(ms);
                        }
                        else
                        {
                            errors++;
                            firstError ??= failure;
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (latencies)
                    {
                        errors++;
                        firstError ??= $"GET /cykler/{id}: {ex.GetType().Name} {ex.Message}";
                    }
                }
            }, ct));
        }

        await Task.WhenAll(requests);
        return (latencies, errors, firstError, clock.Elapsed);
    }

    /// <summary>Writes the catalog: per organisation, Region Västerbotten's organisation with six bodies more and its workflow.</summary>
    private static List<string> WriteCatalog(string workflows, int count)
    {
        var source = Path.Combine(BenchWebHost.RepositoryRoot(), "workflows");
        Directory.CreateDirectory(Path.Combine(workflows, "organisations"));
        CopyDirectory(Path.Combine(source, "schema"), Path.Combine(workflows, "schema"));
        var organisation = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "organisations", "region-vasterbotten.json")))!.AsObject();
        var workflow = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "region-vasterbotten.json")))!.AsObject();
        var hsn = organisation["bodies"]!.AsArray().Single(b => (string?)b!["id"] == "HSN")!;
        var hsf = organisation["bodies"]!.AsArray().Single(b => (string?)b!["id"] == "HSF")!;
        var hsnMeetings = organisation["meetings"]!.AsArray().Where(m => (string?)m!["body"] == "HSN").ToList();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"bench-region-{i.ToString("000", CultureInfo.InvariantCulture)}";
            var org = organisation.DeepClone().AsObject();
            org["id"] = id;
            org["name"] = $"Bench-region {i}";
            var bodies = org["bodies"]!.AsArray();
            var meetings = org["meetings"]!.AsArray();
            for (var n = 1; n <= 3; n++)
            {
                var committee = hsn.DeepClone();
                committee["id"] = $"BN{n}";
                committee["name"] = $"Bench-nämnd {n}";
                bodies.Add(committee);
                var administration = hsf.DeepClone();
                administration["id"] = $"BN{n}F";
                administration["name"] = $"Bench-förvaltning {n}";
                administration["serves"] = $"BN{n}";
                bodies.Add(administration);
                foreach (var meeting in hsnMeetings)
                {
                    var copy = meeting!.DeepClone();
                    copy["body"] = $"BN{n}";
                    meetings.Add(copy);
                }
            }

            File.WriteAllText(Path.Combine(workflows, "organisations", id + ".json"), org.ToJsonString());
            var plan = workflow.DeepClone().AsObject();
            plan["id"] = id;
            plan["organisation"] = id;
            plan["name"] = $"Årshjul {id}";
            File.WriteAllText(Path.Combine(workflows, id + ".json"), plan.ToJsonString());
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>A sign-in that may see every organisation's cycles (a process owner of each), and one running cycle per organisation.</summary>
    private static async Task<List<Guid>> SeedAsync(BenchEnvironment env, List<string> organisations, int year, CancellationToken ct)
    {
        await using (var scope = env.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            var user = new AppUser
            {
                Id = "bench-dashboard", UserName = Email, NormalizedUserName = Email.ToUpperInvariant(), Email = Email, NormalizedEmail = Email.ToUpperInvariant(),
                DisplayName = "Bench dashboard", EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"),
            };
            user.PasswordHash = new PasswordHasher<AppUser>().HashPassword(user, Password);
            db.Users.Add(user);
            db.RoleGrants.AddRange(organisations.Select(o => new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user.Id, OrganisationId = o, Role = Roles.ProcessOwner }));
            await db.SaveChangesAsync(ct);
        }

        var cycles = new List<Guid>();
        foreach (var organisation in organisations)
        {
            await using var scope = env.Services.CreateAsyncScope();
            var started = await scope.ServiceProvider.GetRequiredService<StartCycleHandler>()
                .HandleAsync(env.ProcessOwner(organisation), new StartCycleCommand(organisation, organisation, year), ct);
            cycles.Add(started.Id);
        }

        return cycles;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; nothing of the user's.
        }
    }
}
