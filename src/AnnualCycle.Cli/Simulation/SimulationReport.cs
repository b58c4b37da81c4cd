using System.Text.Json;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Cli.Simulation;

/// <summary>Prints a simulation: the timeline in simulated Stockholm time, then emails per kind and per recipient.</summary>
public static class SimulationReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task WriteTextAsync(TextWriter output, SimulationRequest request, SimulationEnvironment env, SimulationResult result)
    {
        var cycles = request.Years == 1 ? $"cycle {request.WorkflowId} {request.Year}" : $"cycles {request.WorkflowId} {request.FirstYear}–{request.Year}";
        await output.WriteLineAsync($"Simulated {cycles} of {request.OrganisationId}, {Local(env.Zone, request.From.UtcDateTime)} to {Local(env.Zone, request.Until.UtcDateTime)} ({env.Zone.Zone.Id}, simulated time)");
        await output.WriteLineAsync($"Left undone: {(request.LeaveUndone.Count == 0 ? "nothing" : string.Join(", ", request.LeaveUndone))}. Database: throwaway SQLite in {env.TempFolder}. Mail: {env.MailDescription}.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Timeline");
        foreach (var item in result.Timeline)
        {
            var what = item.StepKey is null ? item.Event : $"{item.Event,-11} {item.StepKey} ({item.BodyId})";
            var who = item.Actor is null || item.Actor == "system" ? "" : $" by {item.Actor}";
            var detail = string.IsNullOrWhiteSpace(item.Detail) ? "" : $" — {item.Detail}";
            await output.WriteLineAsync($"  {Local(env.Zone, item.AtUtc)}  {what}{who}{detail}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("Emails (simulated send time, kind, recipient, step)");
        foreach (var email in result.Emails)
        {
            var at = email.SentAtUtc is { } sent ? Local(env.Zone, sent) : $"{Local(env.Zone, email.CreatedAtUtc)} ({email.State})";
            await output.WriteLineAsync($"  {at}  {email.Kind,-17} {email.RecipientEmail ?? email.RecipientUserId,-40} {email.StepKey}");
        }

        var sentEmails = result.Emails.Where(e => e.State == "Sent").ToList();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Summary: {sentEmails.Count} email(s) sent, {result.Emails.Count - sentEmails.Count} not sent (dropped or left), {result.Steps.Count(s => s.CompletedAtUtc is not null)} of {result.Steps.Count} step(s) resolved by {Local(env.Zone, result.EndedAtUtc)}");
        await output.WriteLineAsync("  per kind:");
        foreach (var (kind, count) in ByKind(sentEmails))
        {
            await output.WriteLineAsync($"    {kind,-18} {count,5}");
        }

        await output.WriteLineAsync("  per recipient:");
        foreach (var (recipient, count) in ByRecipient(sentEmails))
        {
            await output.WriteLineAsync($"    {recipient,-40} {count,5}");
        }

        if (result.LeadTimes is { Rows.Count: > 0 } leadTimes)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Lead times (days from opening to completion, mean; late: completed after the due date), per budget year");
            await output.WriteLineAsync($"  {"step",-32} {"body",-6} {string.Join(" ", leadTimes.Years.Select(y => $"{y,16}"))} {"change",8}");
            foreach (var row in leadTimes.Rows)
            {
                var cells = leadTimes.Years.Select(y => row.Years.FirstOrDefault(x => x.Year == y) is { } c
                    ? $"{c.LeadDays.ToString("0.0", CultureInfo.InvariantCulture),6} d {c.Late,2} late"
                    : "-");
                var change = row.Change is { } d ? d.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "";
                await output.WriteLineAsync($"  {Cut(row.StepId, 32),-32} {row.BodyId,-6} {string.Join(" ", cells.Select(c => $"{c,16}"))} {change,8}");
            }
        }

        if (env.SmtpServer is null)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"The messages are in {env.PickupFolder} (the folder is kept).");
        }
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    public static Task WriteJsonAsync(TextWriter output, SimulationRequest request, SimulationEnvironment env, SimulationResult result) =>
        output.WriteLineAsync(JsonSerializer.Serialize(SimulationDocument.Of(request, env, result), Json));

    internal static IEnumerable<KeyValuePair<string, int>> ByKind(IEnumerable<SimulatedEmail> emails) =>
        emails.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Count()));

    internal static IEnumerable<KeyValuePair<string, int>> ByRecipient(IEnumerable<SimulatedEmail> emails) =>
        emails.GroupBy(e => e.RecipientEmail ?? e.RecipientUserId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Count()));

    internal static string Local(StockholmTime zone, DateTime utc) => zone.ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
