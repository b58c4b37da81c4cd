using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The zone of the tests, Europe/Stockholm, as the composition root builds it when <c>TimeZone</c> is not configured.
/// Product code has no static zone (it is injected); a test that calls a domain function directly passes this one,
/// written <c>TestZone.Stockholm</c> or, as before, <c>StockholmTime.Default</c> (a test-only extension, below).
/// </summary>
public static class TestZone
{
    public static readonly StockholmTime Stockholm = StockholmTime.ForZone(StockholmTime.DefaultZoneId);
}
