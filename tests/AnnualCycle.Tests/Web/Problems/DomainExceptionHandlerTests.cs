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
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        context.User = authenticated ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1")], "test")) : new ClaimsPrincipal(new ClaimsIdentity());
        var handler = new DomainExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<DomainExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        return (context.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body));
    }
}
