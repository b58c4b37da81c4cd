using AnnualCycle.Data.Calendar;
using AnnualCycle.Runtime.Calendar;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Calendar;

public sealed class CalendarTokensTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Token_IsStoredHashed_RenewRevokesTheOld_AndARevokedOneNoLongerResolves(string provider)
    {
        await using var h = await CalendarTestSupport.HarnessAsync(provider);
        var user = CalendarOwner.User(HsnContributor);
        var body = CalendarOwner.Body(Infrastructure.FakeCyclePlanner.OrganisationId, "HSN");

        var first = await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.GetOrCreateAsync(user));
        var again = await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.GetOrCreateAsync(user));
        var bodyToken = await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.GetOrCreateAsync(body));
        var rows = await h.DbAsync(db => db.CalendarTokens.AsNoTracking().ToListAsync());

        Assert.NotNull(first.Token);
        Assert.Equal(CalendarTokens.TokenLength, first.Token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.Token);
        // Shown once: the second call finds the live token but cannot show it again.
        Assert.Equal(first.Id, again.Id);
        Assert.Null(again.Token);
        Assert.Equal(2, rows.Count);
        Assert.DoesNotContain(rows, r => r.TokenHash == first.Token || r.OwnerId == first.Token || r.TokenHash == bodyToken.Token);
        Assert.Equal(CalendarTokens.HashOf(first.Token), rows.Single(r => r.OwnerKind == CalendarOwnerKind.User).TokenHash);
        Assert.Equal(user, await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(first.Token)));
        Assert.Equal(body, await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(bodyToken.Token)));

        var renewed = await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.RenewAsync(user));

        Assert.NotEqual(first.Token, renewed.Token);
        Assert.Null(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(first.Token)));
        Assert.Equal(user, await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(renewed.Token)));

        Assert.True(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.RevokeAsync(user)));

        Assert.Null(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(renewed.Token)));
        Assert.False(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.RevokeAsync(user)));
        // Revoking the user's feed leaves the body's alone.
        Assert.Equal(body, await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(bodyToken.Token)));
        Assert.Null(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync("not-a-token")));
        Assert.Null(await CalendarTestSupport.WithFeedAsync(h, (_, t) => t.ResolveAsync(new string('A', CalendarTokens.TokenLength))));
    }
}
