using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>One deadline or order the law sets for a region's budget and reports, with its reference.</summary>
/// <param name="Id">The rule id a step names in its definition (<c>"statutory": "budget"</c>).</param>
/// <param name="Statute">The law, e.g. "Kommunallagen (2017:725) 11 kap. 10 §".</param>
/// <param name="Summary">What the law requires, in Swedish, as workflows/README.md lists it.</param>
public sealed record StatutoryRule(string Id, string Statute, string Summary);

/// <summary>
/// The law's deadlines for a region's budget and reports: one rule set, checked against every resolved plan. A step
/// takes part by naming the rule in its definition (<c>"statutory": "budget"</c>); each finding is a
/// <see cref="StatutoryWarning"/>, never an error: the process owner decides. The planner keeps a deadline on or
/// before a day off (never after), so a warning means the plan's own dates (its meetings, its definition or a moved
/// step) break the rule, never the weekend rule. For budget year Y:
/// <list type="bullet">
/// <item><c>skattesats</c>: the styrelse proposes the skattesats before the end of October Y-1 (KL 11 kap. 8 §).</item>
/// <item><c>budgetforslag</c>: the styrelse prepares the budget before the end of October Y-1; in November only with
/// special reasons, and then only with a skattesats proposal before the end of October (KL 11 kap. 8 §).</item>
/// <item><c>budget</c>: fullmäktige adopts it before the end of November Y-1, or of December when it was prepared in
/// November (KL 11 kap. 10 §); in an election year the newly elected fullmäktige adopt it, in office from 15 October
/// (KL 11 kap. 10 §, 5 kap. 9 §). The last <c>budget</c> step is the adoption that counts.</item>
/// <item><c>delarsrapport</c>: the delårsrapport covers at least half and at most two thirds of the year, i.e. ends
/// 30 June–31 August Y (LKBR 13 kap. 1 §), and reaches fullmäktige and the auditors within two months of its period's
/// end (KL 11 kap. 16 §). A plan without one is warned about.</item>
/// <item><c>arsredovisning</c>: the årsredovisning reaches fullmäktige and the auditors by 15 April Y+1 (KL 11 kap.).</item>
/// <item><c>arsredovisning-godkannande</c>: fullmäktige approves the årsredovisning it has received: not before it was handed over.</item>
/// <item><c>revisionsberattelse</c>: the auditors' report reaches fullmäktige after the årsredovisning and before the
/// ansvarsfrihet is decided (KL 12 kap. 12 §).</item>
/// <item><c>ansvarsfrihet</c>: fullmäktige decides on ansvarsfrihet before the end of June Y+1 (KL 5 kap. 24–25 §§).</item>
/// </list>
/// </summary>
public static class StatutoryChecks
{
    public const string TaxRateProposal = "skattesats";
    public const string BudgetProposal = "budgetforslag";
    public const string Budget = "budget";
    public const string InterimReport = "delarsrapport";
    public const string AnnualReport = "arsredovisning";
    public const string AnnualReportApproval = "arsredovisning-godkannande";
    public const string AuditReport = "revisionsberattelse";
    public const string Discharge = "ansvarsfrihet";

    private const string Kl = "Kommunallagen (2017:725)";

    /// <summary>Every rule, in the order of the year.</summary>
    public static readonly IReadOnlyList<StatutoryRule> Rules =
    [
        new(TaxRateProposal, $"{Kl} 11 kap. 8 §", "styrelsen föreslår skattesatsen före oktober månads utgång året före budgetåret (krävs när budgetförslaget upprättas i november)"),
        new(BudgetProposal, $"{Kl} 11 kap. 8 §", "styrelsen upprättar budgetförslaget före oktober månads utgång; i november endast om det finns särskilda skäl, och då med förslag till skattesats före oktober månads utgång"),
        new(Budget, $"{Kl} 11 kap. 10 §; 5 kap. 9 §", "fullmäktige fastställer budgeten före november månads utgång (före december månads utgång om förslaget upprättats i november); valår fastställs den av de nyvalda fullmäktige, som tillträder den 15 oktober"),
        new(InterimReport, $"{Kl} 11 kap. 16 §; lag (2018:597) om kommunal bokföring och redovisning 13 kap. 1 §", "delårsrapporten omfattar minst hälften och högst två tredjedelar av året och lämnas till fullmäktige och revisorerna inom två månader efter periodens utgång"),
        new(AnnualReport, $"{Kl} 11 kap. 20 §", "årsredovisningen lämnas till fullmäktige och revisorerna senast den 15 april året efter"),
        new(AnnualReportApproval, $"{Kl} 11 kap. 20 §", "fullmäktige godkänner årsredovisningen, efter att den lämnats"),
        new(AuditReport, $"{Kl} 12 kap. 12 §", "revisorerna lämnar revisionsberättelsen till fullmäktige, efter årsredovisningen och före beslutet om ansvarsfrihet"),
        new(Discharge, $"{Kl} 5 kap. 24–25 §§", "fullmäktige beslutar om ansvarsfrihet före juni månads utgång året efter"),
    ];

    /// <summary>The rule ids a definition may name.</summary>
    public static IReadOnlyList<string> RuleIds { get; } = Rules.Select(r => r.Id).ToList();

    /// <summary>The law behind a rule id, as the preview shows it; null for an unknown id.</summary>
    public static string? StatuteOf(string rule) => Rules.FirstOrDefault(r => r.Id == rule)?.Statute;

    internal static IReadOnlyList<StatutoryWarning> Check(IReadOnlyList<StepInstance> instances, int year, StockholmTime time)
    {
        var dated = instances
            .Where(i => i.Step.StatutoryRule is not null)
            .Select(i => (Instance: i, Due: time.LocalDate(i.Due)))
            .OrderBy(x => x.Due).ThenBy(x => x.Instance.Key, StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<(StepInstance Instance, DateOnly Due)> Of(string rule) => dated.Where(x => x.Instance.Step.StatutoryRule == rule).ToList();

        var warnings = new List<StatutoryWarning>();
        void Warn(string rule, string message, string? stepKey) => warnings.Add(new StatutoryWarning(rule, message, StatuteOf(rule)!, stepKey));

        var endOfOctober = new DateOnly(year - 1, 10, 31);
        var endOfNovember = new DateOnly(year - 1, 11, 30);
        var endOfDecember = new DateOnly(year - 1, 12, 31);

        // Skattesats (KL 11:8, third sentence).
        var taxRate = Of(TaxRateProposal);
        foreach (var (i, due) in taxRate.Where(x => x.Due > endOfOctober))
        {
            Warn(TaxRateProposal, $"Förslaget till skattesats för {year} är planerat {due:yyyy-MM-dd}, efter oktober månads utgång {year - 1}.", i.Key);
        }

        // Budget proposal (KL 11:8).
        var proposals = Of(BudgetProposal);
        foreach (var (i, due) in proposals.Where(x => x.Due > endOfOctober))
        {
            if (due > endOfNovember)
            {
                Warn(BudgetProposal, $"Budgetförslaget för {year} är planerat {due:yyyy-MM-dd}, efter november månads utgång: senare än lagen medger även med särskilda skäl.", i.Key);
            }
            else if (!taxRate.Any(t => t.Due <= endOfOctober))
            {
                Warn(BudgetProposal,
                    $"Budgetförslaget för {year} är planerat {due:yyyy-MM-dd}, i november. Det är tillåtet endast om det finns särskilda skäl, och då ska styrelsen föreslå skattesatsen före oktober månads utgång: planera ett förslag till skattesats (\"statutory\": \"{TaxRateProposal}\") senast {endOfOctober:yyyy-MM-dd}.",
                    i.Key);
            }
        }

        // Budget (KL 11:10, 5:9). The last adoption is the budget that counts; an earlier one (an outgoing
        // fullmäktige's in an election year) is a step on the way.
        if (Of(Budget) is [.., var (budget, adopted)])
        {
            var preparedInNovember = proposals.Count > 0 && proposals[^1].Due > endOfOctober && proposals[^1].Due <= endOfNovember;
            var limit = preparedInNovember ? endOfDecember : endOfNovember;
            if (adopted > limit)
            {
                Warn(Budget, preparedInNovember
                    ? $"Budgeten för {year} fastställs {adopted:yyyy-MM-dd}, efter december månads utgång {year - 1}."
                    : $"Budgeten för {year} fastställs {adopted:yyyy-MM-dd}, efter november månads utgång {year - 1}.", budget.Key);
            }

            var electionYear = year - 1;
            if (SwedishElections.IsElectionYear(electionYear) && adopted < SwedishElections.NewAssemblyTakesOffice(electionYear))
            {
                Warn(Budget,
                    $"{electionYear} är valår (val {SwedishElections.ElectionDay(electionYear):yyyy-MM-dd}): budgeten för {year} ska fastställas av nyvalda fullmäktige, som tillträder den 15 oktober {electionYear}. "
                    + $"Beslutet är planerat {adopted:yyyy-MM-dd}, av de avgående fullmäktige; planera ett beslut (eller en tilläggsbudget) av nyvalda fullmäktige före november månads utgång.",
                    budget.Key);
            }
        }

        // Delårsrapport (LKBR 13:1, KL 11:16).
        var interim = Of(InterimReport);
        if (interim.Count == 0 && instances.Count > 0)
        {
            Warn(InterimReport, $"Planen för {year} har ingen delårsrapport som lämnas till fullmäktige och revisorerna; lagen kräver minst en.", null);
        }

        var half = new DateOnly(year, 6, 30);
        var twoThirds = new DateOnly(year, 8, 31);
        foreach (var (i, due) in interim)
        {
            if (i.PeriodEnd is not { } periodEnd)
            {
                continue;
            }

            if (periodEnd < half || periodEnd > twoThirds)
            {
                Warn(InterimReport,
                    $"Delårsrapporten för perioden till och med {periodEnd:yyyy-MM-dd} omfattar {(periodEnd < half ? "mindre än hälften" : "mer än två tredjedelar")} av räkenskapsåret; den ska sluta mellan {half:yyyy-MM-dd} och {twoThirds:yyyy-MM-dd}.",
                    i.Key);
            }

            var limit = periodEnd.AddMonths(2);
            if (due > limit)
            {
                Warn(InterimReport,
                    $"Delårsrapporten för perioden till och med {periodEnd:yyyy-MM-dd} lämnas {due:yyyy-MM-dd}, mer än två månader efter periodens slut (senast {limit:yyyy-MM-dd}).",
                    i.Key);
            }
        }

        // Årsredovisning, its approval, the auditors' report and ansvarsfrihet (KL 11 kap., 12:12, 5:24–25).
        var annual = Of(AnnualReport);
        var april15 = new DateOnly(year + 1, 4, 15);
        foreach (var (i, due) in annual.Where(x => x.Due > april15))
        {
            Warn(AnnualReport, $"Årsredovisningen för {year} lämnas {due:yyyy-MM-dd}, efter den 15 april {year + 1}.", i.Key);
        }

        DateOnly? handedOver = annual.Count > 0 ? annual[^1].Due : null;
        foreach (var (i, due) in Of(AnnualReportApproval).Where(x => handedOver is { } h && x.Due < h))
        {
            Warn(AnnualReportApproval, $"Fullmäktige godkänner årsredovisningen för {year} {due:yyyy-MM-dd}, innan den har lämnats ({handedOver:yyyy-MM-dd}).", i.Key);
        }

        var discharge = Of(Discharge);
        foreach (var (i, due) in Of(AuditReport))
        {
            if (handedOver is { } h && due < h)
            {
                Warn(AuditReport, $"Revisionsberättelsen för {year} är planerad {due:yyyy-MM-dd}, innan årsredovisningen har lämnats till revisorerna ({h:yyyy-MM-dd}).", i.Key);
            }

            if (discharge.Count > 0 && due > discharge[0].Due)
            {
                Warn(AuditReport, $"Revisionsberättelsen för {year} är planerad {due:yyyy-MM-dd}, efter fullmäktiges beslut om ansvarsfrihet ({discharge[0].Due:yyyy-MM-dd}).", i.Key);
            }
        }

        var endOfJune = new DateOnly(year + 1, 6, 30);
        foreach (var (i, due) in discharge.Where(x => x.Due > endOfJune))
        {
            Warn(Discharge, $"Ansvarsfriheten för {year} prövas {due:yyyy-MM-dd}, efter juni månads utgång {year + 1}.", i.Key);
        }

        return warnings;
    }
}
