using AnnualCycle.Domain.Errors;

namespace AnnualCycle.Domain.Planning;

/// <summary>
/// The budget years a cycle can be asked for at all (before a definition says which it plans): a year outside is
/// refused as input (400 naming the field) before anything computes dates in it, so year 99999 never reaches a
/// calendar that cannot represent it.
/// </summary>
public static class BudgetYears
{
    public const int Min = 2000;

    public const int Max = 2100;

    /// <summary>Throws <see cref="InputException"/> naming <paramref name="field"/> when <paramref name="year"/> is outside <see cref="Min"/>–<see cref="Max"/>.</summary>
    public static int Require(int year, string field = "year") =>
        year is < Min or > Max ? throw new InputException(field, $"must be between {Min} and {Max}") : year;
}
