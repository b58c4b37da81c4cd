using System.Net;
using System.Security.Claims;
using System.Text.Json;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Web.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnualCycle.Tests.Web.Problems;

public sealed class DomainExceptionHandlerTests
{
    public static TheoryData<Exception, int, string> Cases => new()
    {
        { new IllegalTransitionException("Step hsn-namndplan", "Completed", "Approved"), 409, "Step hsn-namndplan cannot change from Completed to Approved." },
        { new ConflictException("Someone else approved first."), 409, "Someone else approved first." },
        { new ForbiddenActionException("Needs forvaltningsdirektor in HSF."), 403, "Needs forvaltningsdirektor in HSF." },
        { new NotFoundException("No step 42."), 404, "No step 42." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DomainException_BecomesAProblemWithItsStatusAndMessage(Exception exception, int status, string detail)
    {
        var (code, body) = await HandleAsync(exception);

        Assert.Equal(status, code);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task InputException_BecomesAValidationProblemNamingTheField()
    {
        var (code, body) = await HandleAsync(new InputException("year", "must be between 2000 and 2100"));

        Assert.Equal(400, code);
        Assert.Equal("must be between 2000 and 2100", body.GetProperty("errors").GetProperty("year")[0].GetString());
    }

    [Fact]
    public async Task PlanningException_BecomesA409NamingTheCause()
    {
        var (code, body) = await HandleAsync(new AnnualCycle.Domain.Definitions.PlanningException(
            "no last meeting of RS in oktober 2026 in the sammanträdesplan of region-vasterbotten (cycle 2027; it has 0)", default));

        Assert.Equal(409, code);
        Assert.Contains("no last meeting of RS in oktober 2026", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<Exception> Unavailable => new()
    {
        new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)),
        new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"),
        new Npgsql.PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"),
        new Npgsql.PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"),
        new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving", new Npgsql.NpgsqlException("Exception while reading from stream", new TimeoutException())),
        new AggregateException(new InvalidOperationException("Background job creation failed", new Npgsql.NpgsqlException("Connection refused"))),
        new Microsoft.Data.Sqlite.SqliteException("SQLite Error 5: 'database is locked'.", 5),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task DatabaseUnavailable_BecomesA503WithRetryAfter_WithoutTheServersMessage(Exception exception)
    {
        var (code, body, headers) = await HandleWithHeadersAsync(exception);

        Assert.Equal(503, code);
        Assert.Equal("5", headers["Retry-After"].ToString());
        Assert.DoesNotContain("127.0.0.1", body.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<Exception> LostRaces => new()
    {
        new Npgsql.PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", "40001"),
        new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving", new Npgsql.PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505")),
        new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException("The row changed"),
    };

    [Theory]
    [MemberData(nameof(LostRaces))]
    public async Task AnotherWriteFirst_BecomesA409(Exception exception)
    {
        var (code, _) = await HandleAsync(exception);

        Assert.Equal(409, code);
    }

    [Fact]
    public async Task AValueTheDatabaseCannotStore_BecomesA400SayingWhy()
    {
        var (code, body) = await HandleAsync(new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving",
            new Npgsql.PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021")));

        Assert.Equal(400, code);
        Assert.Contains("0x00", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerErrorThatIsNoOutage_StaysA500()
    {
        var (code, _) = await HandleAsync(new Npgsql.PostgresException("column \"x\" does not exist", "ERROR", "ERROR", "42703"));

        Assert.Equal(500, code);
    }

    [Fact]
    public async Task Forbidden_BecomesA401_ForAnAnonymousCaller()
    {
        var (code, _) = await HandleAsync(new ForbiddenActionException("Sign in first."), authenticated: false);

        Assert.Equal(401, code);
    }

    [Fact]
    public async Task BadHttpRequest_NamesTheParameter()
    {
        var (code, body) = await HandleAsync(new BadHttpRequestException("Required parameter \"string email\" was not provided from query string."));

        Assert.Equal(400, code);
        Assert.True(body.GetProperty("errors").TryGetProperty("email", out _), body.ToString());
    }

    [Fact]
    public async Task AnyOtherException_BecomesA500_WithoutItsMessageOrStackTrace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("connection string Password=hemligt");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var (code, body) = await HandleAsync(thrown);

        Assert.Equal(500, code);
        var text = body.ToString();
        Assert.DoesNotContain("hemligt", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(AnyOtherException_BecomesA500_WithoutItsMessageOrStackTrace), text, StringComparison.Ordinal);
    }

    private static async Task<(int Status, JsonElement Body)> HandleAsync(Exception exception, bool authenticated = true)
    {
        var (status, body, _) = await HandleWithHeadersAsync(exception, authenticated);
        return (status, body);
    }

    private static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> HandleWithHeadersAsync(Exception exception, bool authenticated = true)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        context.User = authenticated ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1")], "test")) : new ClaimsPrincipal(new ClaimsIdentity());
        var handler = new DomainExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<DomainExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        return (context.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body), context.Response.Headers);
    }
}
