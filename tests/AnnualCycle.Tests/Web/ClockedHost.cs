using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Web;

/// <summary>
/// The real host (demo seeded, the shipped workflows) with its <see cref="TimeProvider"/> replaced by a fake clock at
/// <see cref="DefaultNow"/>: 15 June 2026, when cycle 2027's planeringsförutsättningar is open and overdue (due in May)
/// and the rest of its planning lies ahead.
/// </summary>
public sealed class ClockedHost : IAsyncDisposable
{
    public const string Org = DemoUsers.OrganisationId;
    public static readonly DateTimeOffset DefaultNow = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);

    public ClockedHost(AnnualCycleFactory host, DateTimeOffset? now = null)
    {
        Host = host;
        Clock = new FakeTimeProvider(now ?? DefaultNow);
        Factory = host.WithClock(Clock);
    }

    public AnnualCycleFactory Host { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>The host itself, its clock replaced (the name stays for the tests that sign in through it).</summary>
    public AnnualCycleFactory Factory { get; }

    public Task<HttpClient> SignInAsync(string email) => ApiClient.SignedInAsync(Factory, email);

    public static async Task<Guid> StartCycleAsync(HttpClient processOwner, int year)
    {
        var response = await processOwner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start {year}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await ApiClient.JsonAsync(response)).GetProperty("id").GetGuid();
    }

    public static async Task<List<JsonElement>> StepsAsync(HttpClient client, Guid cycleId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}/steps")).EnumerateArray().ToList();

    public static async Task<JsonElement> StepAsync(HttpClient client, Guid cycleId, string key) =>
        (await StepsAsync(client, cycleId)).Single(s => s.GetProperty("key").GetString() == key);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
