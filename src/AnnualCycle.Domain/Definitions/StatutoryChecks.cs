using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// The law's deadlines for a region's budget and reports, checked against a resolved plan. A step takes part
/// by naming the rule in its definition (<c>"statutory": "budget"</c>); each finding is a
/// <see cref="StatutoryWarning"/>, never an error: the process owner decides.
/// </summary>
public static class StatutoryChecks
{
    /// <summary>KL 11 kap. 8 §: the styrelse prepares the budget proposal before the end of October.</summary>
    public const string BudgetProposal = "budgetforslag";

    /// <summary>KL 11 kap. 10 §: fullmäktige adopts the budget before the end of November; in an election year the new fullmäktige does.</summary>
    public const string Budget = "budget";

    /// <summary>KL 11 kap. 16 §, LKBR 13 kap. 1 §: the delårsrapport reaches fullmäktige and the auditors within two months of its period's end.</summary>
    public const string InterimReport = "delarsrapport";

    /// <summary>KL 11 kap. 20 §: the årsredovisning reaches fullmäktige and the auditors by 15 April of the following year.</summary>
    public const string AnnualReport = "arsredovisning";

    /// <summary>The law behind a rule id, as the preview shows it; null for an unknown id.</summary>
    public static string? StatuteOf(string rule) => rule switch
    {
        BudgetProposal => "Kommunallagen (2017:725) 11 kap. 8 §",
        Budget => "Kommunallagen (2017:725) 11 kap. 10 §",
        InterimReport => "Kommunallagen (2017:725) 11 kap. 16 §; lag (2018:597) om kommunal bokföring och redovisning 13 kap. 1 §",
        AnnualReport => "Kommunallagen (2017:725) 11 kap. 20 §",
        _ => null,
    };

    /// <summary>The day newly elected fullmäktige take office in an election year (KL 5 kap. 4 §).</summary>
    public static DateOnly NewAssemblyTakesOffice(int electionYear) => new(electionYear, 10, 15);

    /// <summary>General elections in Sweden are held every four years: 2022, 2026, 2030, …</summary>
    public static bool IsElectionYear(int year) => year >= 1994 && (year - 1994) % 4 == 0;

    internal static IReadOnlyList<StatutoryWarning> Check(IReadOnlyList<StepInstance> instances, int year, StockholmTime time)
    {
        var warnings = new List<StatutoryWarning>();
        foreach (var i in instances.Where(i => i.Step.StatutoryRule is not null).OrderBy(i => i.Due))
        {
            var due = time.LocalDate(i.Due);
            switch (i.Step.StatutoryRule)
            {
                case BudgetProposal:
                {
                    var endOfOctober = new DateOnly(year - 1, 10, 31);
                    if (due > endOfOctober)
                    {
                        var november = due <= new DateOnly(year - 1, 11, 30);
                        warnings.Add(new StatutoryWarning(BudgetProposal,
                            $"Budgetförslaget för {year} är planerat {due:yyyy-MM-dd}, efter oktober månads utgång. "
                            + (november
                                ? "November är tillåtet endast om det finns särskilda skäl, och då ska styrelsen föreslå skattesatsen i oktober."
                                : "Det är senare än lagen medger även med särskilda skäl."),
                            "Kommunallagen (2017:725) 11 kap. 8 §", i.Key));
                    }

                    break;
                }

                case Budget:
                    CheckBudget(i, due, year, warnings);
                    break;
                case InterimReport when i.PeriodEnd is { } periodEnd:
                {
                    var limit = periodEnd.AddMonths(2);
                    if (due > limit)
                    {
                        warnings.Add(new StatutoryWarning(InterimReport,
                            $"Delårsrapporten för perioden till och med {periodEnd:yyyy-MM-dd} lämnas {due:yyyy-MM-dd}, mer än två månader efter periodens slut (senast {limit:yyyy-MM-dd}).",
                            "Kommunallagen (2017:725) 11 kap. 16 §; lag (2018:597) om kommunal bokföring och redovisning 13 kap. 1 §", i.Key));
                    }

                    break;
                }

                case AnnualReport:
                {
                    var limit = new DateOnly(year + 1, 4, 15);
                    if (due > limit)
                    {
                        warnings.Add(new StatutoryWarning(AnnualReport,
                            $"Årsredovisningen för {year} lämnas {due:yyyy-MM-dd}, efter den 15 april {year + 1}.",
                            "Kommunallagen (2017:725) 11 kap. 20 §", i.Key));
                    }

                    break;
                }
            }
        }

        return warnings;
    }

    private static void CheckBudget(StepInstance i, DateOnly due, int year, List<StatutoryWarning> warnings)
    {
        const string Source = "Kommunallagen (2017:725) 11 kap. 10 §";
        var endOfNovember = new DateOnly(year - 1, 11, 30);
        if (due > endOfNovember)
        {
            warnings.Add(new StatutoryWarning(Budget,
                $"Budgeten för {year} fastställs {due:yyyy-MM-dd}, efter november månads utgång {year - 1}.", Source, i.Key));
        }

        var electionYear = year - 1;
        if (IsElectionYear(electionYear) && due < NewAssemblyTakesOffice(electionYear))
        {
            warnings.Add(new StatutoryWarning(Budget,
                $"{electionYear} är valår: budgeten för {year} ska fastställas av nyvalda fullmäktige, som tillträder den 15 oktober {electionYear}. "
                + $"Beslutet är planerat {due:yyyy-MM-dd}, av de avgående fullmäktige; planera ett beslut (eller en tilläggsbudget) av nyvalda fullmäktige före november månads utgång.",
                Source + "; 5 kap. 4 §", i.Key));
        }
    }
}
