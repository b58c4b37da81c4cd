using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Web.AuthorizationMatrix;

namespace AnnualCycle.Tests.Web.Problems;

/// <summary>
/// Issue 12, "no 500 for anything a user can cause", for every endpoint the app maps: each row of the authorisation
/// matrix (<see cref="AuthorizationMatrixTests.Rows"/>, the one table of endpoints, so a new endpoint is fuzzed as soon
/// as it gets its row) is asked as someone it allows, with each route value, query value and JSON property replaced
/// by bad values, and with bodies that are no JSON at all; then, on PostgreSQL, once more by every persona with the
/// database server stopped. No answer may be a 500; while the database is away a 503 must say when to retry.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class EndpointFuzzTests
{
    private static readonly JsonNode?[] BadValues =
    [
        null, 99999, -1, 0, 1e308, true, "", " ", "x", "99999", "-1", "9999-12-31", "0001-01-01", "2027-02-30", "\u202Ex", "\0",
        new string('å', 5000), new JsonObject(), new JsonArray(),
    ];

    private static readonly string[] BadTexts = ["", "99999", "-1", "x", "9999-12-31", "0001-01-01", "%00", new string('a', 3000)];

    private static readonly string[] BadBodies = ["{", "[]", "null", "\"x\"", "{\"a\":", "", "{}"];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task BadInput_ToEveryMappedEndpoint_IsNeverA500(string provider)
    {
        await using var scene = await MatrixScene.CreateAsync(provider == "Sqlite"
            ? AnnualCycleFactory.Sqlite()
            : AnnualCycleFactory.PostgreSql(await PostgresServer.CreateDatabaseAsync("fuzz"), ("Demo:Seed", "true")));
        var failures = new List<string>();
        var asked = 0;
        foreach (var row in AuthorizationMatrixTests.Rows)
        {
            var persona = Enum.GetValues<Persona>().FirstOrDefault(p => row.Allowed(p, Target.OwnBody), Persona.Anonymous);
            using var template = await row.Ask(scene, Target.OwnBody, false);
            var original = await RequestShape.FromAsync(template);
            foreach (var (what, request) in Variants(original))
            {
                var client = row.Channel == AuthorizationMatrixTests.Channel.Api ? scene.Api(persona) : scene.Browser(persona);
                using var response = await client.SendAsync(request);
                asked++;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{row.Key} as {persona}, {what}: {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync())}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {asked} requests answered 5xx:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryMappedEndpoint_AsEveryPersona_WithThePostgreSqlServerStopped_IsNeverA500()
    {
        await using var cluster = await ThrowawayPostgresCluster.StartNewAsync();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Pooling = true, Timeout = 3 }.ConnectionString;
        await using var scene = await MatrixScene.CreateAsync(AnnualCycleFactory.PostgreSql(connection, ("Demo:Seed", "true")));
        var requests = new List<(string What, AuthorizationMatrixTests.Row Row, Persona Persona, RequestShape Shape)>();
        foreach (var row in AuthorizationMatrixTests.Rows)
        {
            foreach (var persona in Enum.GetValues<Persona>())
            {
                using var request = await row.Ask(scene, Target.OwnBody, false);
                requests.Add(($"{row.Key} as {persona}", row, persona, await RequestShape.FromAsync(request)));
            }
        }

        await cluster.StopAsync();
        var failures = new List<string>();
        var unavailable = 0;
        foreach (var (what, row, persona, shape) in requests)
        {
            var client = row.Channel == AuthorizationMatrixTests.Channel.Api ? scene.Api(persona) : scene.Browser(persona);
            using var response = await client.SendAsync(shape.Build());
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                unavailable++;
                if (response.Headers.RetryAfter is null && !row.Key.Contains("/health/", StringComparison.Ordinal))
                {
                    failures.Add($"{what}: 503 without Retry-After");
                }
            }
            else if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{what}: {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} requests with the database stopped:\n" + string.Join("\n", failures));
        Assert.True(unavailable > requests.Count / 3, $"only {unavailable} of {requests.Count} answers were 503: the database was not really away");
    }

    /// <summary>The original request, then one variant per replaced route value, query value, JSON property and whole body.</summary>
    private static IEnumerable<(string What, HttpRequestMessage Request)> Variants(RequestShape original)
    {
        yield return ("as the matrix asks", original.Build());

        var segments = original.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            IEnumerable<string> replacements = Guid.TryParse(segment, out _) ? [Guid.NewGuid().ToString(), "0", "x", Guid.Empty.ToString()]
                : Year().IsMatch(segment) ? [Year().Replace(segment, "99999"), Year().Replace(segment, "0"), Year().Replace(segment, "-1")]
                : [];
            foreach (var replacement in replacements)
            {
                var path = string.Join('/', segments.Select((s, j) => j == i ? replacement : s));
                yield return ($"path segment {i} = {replacement}", (original with { Path = path }).Build());
            }
        }

        var query = original.Query;
        var names = query.Count > 0 ? query.Select(q => q.Key).ToList() : ["year", "page", "state", "width"];
        foreach (var name in names)
        {
            foreach (var value in BadTexts)
            {
                var changed = query.Where(q => q.Key != name).Append(KeyValuePair.Create(name, value)).ToList();
                yield return ($"?{name}={Shorten(value, 12)}", (original with { Query = changed }).Build());
            }
        }

        if (original.Json is JsonObject json)
        {
            foreach (var property in json.Select(p => p.Key).ToList())
            {
                foreach (var value in BadValues)
                {
                    var changed = JsonNode.Parse(json.ToJsonString())!.AsObject();
                    changed[property] = value?.DeepClone();
                    yield return ($"{property} = {Shorten(value?.ToJsonString() ?? "null", 12)}", (original with { Body = changed.ToJsonString() }).Build());
                }
            }
        }

        if (original.Method != HttpMethod.Get.Method && original.Method != HttpMethod.Head.Method)
        {
            foreach (var body in BadBodies)
            {
                yield return ($"body {body}", (original with { Body = body, ContentType = "application/json" }).Build());
            }

            yield return ("body as text/plain", (original with { Body = "year=99999", ContentType = "text/plain" }).Build());
        }
    }

    private static string Shorten(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";

    [GeneratedRegex(@"^\d{4}(?=$|\.)")]
    private static partial Regex Year();

    /// <summary>A request taken apart so it can be sent again with parts replaced (a request message is sent only once).</summary>
    private sealed record RequestShape(string Method, string Path, List<KeyValuePair<string, string>> Query, string? Body, string? ContentType, byte[]? Raw)
    {
        public JsonNode? Json
        {
            get
            {
                if (Body is null || ContentType?.Contains("json", StringComparison.Ordinal) != true)
                {
                    return null;
                }

                try
                {
                    return JsonNode.Parse(Body);
                }
                catch (System.Text.Json.JsonException)
                {
                    return null;
                }
            }
        }

        public static async Task<RequestShape> FromAsync(HttpRequestMessage request)
        {
            var uri = request.RequestUri!.OriginalString;
            var mark = uri.IndexOf('?', StringComparison.Ordinal);
            var path = mark < 0 ? uri : uri[..mark];
            var query = mark < 0 ? [] : uri[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")).ToList();
            string? body = null;
            byte[]? raw = null;
            var type = request.Content?.Headers.ContentType?.ToString();
            if (request.Content is not null)
            {
                raw = await request.Content.ReadAsByteArrayAsync();
                body = type?.Contains("json", StringComparison.Ordinal) == true ? Encoding.UTF8.GetString(raw) : null;
            }

            return new RequestShape(request.Method.Method, path, query, body, type, raw);
        }

        public HttpRequestMessage Build()
        {
            var query = Query.Count == 0 ? "" : "?" + string.Join('&', Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
            var request = new HttpRequestMessage(new HttpMethod(Method), Path + query);
            if (Body is not null)
            {
                request.Content = new StringContent(Body, Encoding.UTF8);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ContentType ?? "application/json");
            }
            else if (Raw is not null)
            {
                request.Content = new ByteArrayContent(Raw);
                if (ContentType is not null)
                {
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ContentType);
                }
            }

            return request;
        }
    }
}
