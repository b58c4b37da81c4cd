using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.People;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The one helper the tests use to sign or confirm a body's decision: the nämnd's signature of a chain and the
/// confirmation of a decision step need the meeting date and the paragraph (§). It fills them with the clock's own
/// date (Europe/Stockholm): a meeting held today, so never "before its meeting".
/// </summary>
public static class MeetingDecisions
{
    public const string Paragraph = "§ 123";

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Today in Europe/Stockholm by <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Stockholm).DateTime);

    /// <summary>The meeting date and § an approval of <paramref name="role"/> needs (the nämnd's), or none.</summary>
    public static (DateOnly? MeetingDate, string? Paragraph) ForApproval(string role, TimeProvider clock) =>
        role == Roles.Committee ? (Today(clock), Paragraph) : (null, null);

    /// <summary>The meeting date and § a confirmation of a step of <paramref name="kind"/> needs (a decision), or none.</summary>
    public static (DateOnly? MeetingDate, string? Paragraph) ForConfirm(AnnualCycle.Domain.Planning.StepKind kind, TimeProvider clock) =>
        kind == AnnualCycle.Domain.Planning.StepKind.Decision ? (Today(clock), Paragraph) : (null, null);

    /// <summary>The JSON body of an API approve or confirm that records a decision: comment, meetingDate, paragraph.</summary>
    public static object Body(string? comment, TimeProvider clock) =>
        new { comment, meetingDate = Today(clock).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), paragraph = Paragraph };

    /// <summary>What the journal writes for a decision recorded today with <see cref="Paragraph"/>.</summary>
    public static string JournalComment(TimeProvider clock, string? comment) => new MeetingDecision(Today(clock), Paragraph).JournalComment(comment);
}
