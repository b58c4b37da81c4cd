// In the product's namespace on purpose: every test that names StockholmTime already imports it.
namespace AnnualCycle.Domain.Calendar;

/// <summary>
/// Tests only: <c>StockholmTime.Default</c> is <see cref="Tests.Infrastructure.TestZone.Stockholm"/>. The product has no
/// static zone any more (the composition root reads <c>TimeZone</c> once and injects it); tests keep the short name.
/// </summary>
internal static class StockholmTimeDefault
{
    extension(StockholmTime)
    {
        public static StockholmTime Default => Tests.Infrastructure.TestZone.Stockholm;
    }
}
