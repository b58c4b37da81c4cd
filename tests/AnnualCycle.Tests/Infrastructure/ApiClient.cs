using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Runtime.Demo;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>Signing in through the API and reading problem responses.</summary>
public static class ApiClient
{
    public static async Task<JsonElement> LoginAsync(HttpClient client, string email, string password = DemoUsers.Password)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A client carrying the bearer token of <paramref name="email"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string email, string password = DemoUsers.Password)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var token = await LoginAsync(client, email, password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The messages a validation problem gives for <paramref name="field"/>; fails when the field is not named.</summary>
    public static async Task<string> FieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await JsonAsync(response);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), $"errors names {field}: {body}");
        return messages[0].GetString() ?? "";
    }
}

/// <summary>One SQLite host shared by the tests of a class (demo seeded, as in the zero-setup mode).</summary>
public sealed class SqliteHost : IAsyncLifetime
{
    public AnnualCycleFactory Factory { get; } = AnnualCycleFactory.Sqlite();

    public Task InitializeAsync()
    {
        Factory.CreateClient().Dispose(); // boot now, so a failure to start shows here
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
