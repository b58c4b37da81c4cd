namespace AnnualCycle.Notifications;

/// <summary>The person an email goes to.</summary>
public sealed record EmailRecipient(string Name, string Address, EmailLanguage Language = EmailLanguage.Swedish);

/// <summary>One line of the weekly digest: an open step of the recipient with its deadline.</summary>
/// <param name="LinkPath">Path in the web UI, e.g. <c>/steg/42</c>; made absolute with <c>PublicBaseUrl</c>.</param>
/// <param name="Overdue">True when the deadline has passed; the digest marks the line.</param>
public sealed record DigestItem(
    string CycleName,
    string StepTitle,
    string BodyName,
    DateTimeOffset Due,
    string LinkPath,
    bool Overdue = false);

/// <summary>
/// Everything one email shows, built by the sender from the outbox row and the current state of the step: a
/// dedicated model, never an EF entity, so a template cannot reach further than this. All text that users
/// typed (<see cref="StepTitle"/> of a user-made step, <see cref="Comment"/>, names) is passed to templates as
/// values: HTML-encoded in HTML, never evaluated as Liquid.
/// </summary>
/// <param name="Kind">Which template.</param>
/// <param name="Recipient">Name, address and language.</param>
/// <param name="OrganisationId">Selects the organisation's template overrides, e.g. <c>region-vasterbotten</c>.</param>
/// <param name="CycleName">The cycle's name, usually with its year ("Planering, budget och uppföljning – Region Västerbotten 2027");
/// templates show <c>cycle</c>, which adds <see cref="CycleYear"/> only when the name lacks it, so the year is written once.</param>
/// <param name="CycleYear">The budget year the cycle plans.</param>
/// <param name="StepTitle">The step's title.</param>
/// <param name="BodyName">The body that does the step, e.g. "Hälso- och sjukvårdsnämnden".</param>
/// <param name="Due">The deadline instant (23:59 Europe/Stockholm on the due date), when the step has one.</param>
/// <param name="WorkingDaysLeft">Working days from today to the due date (see <see cref="Rendering.DeadlineText.WorkingDaysLeft"/>), for reminders.</param>
/// <param name="LinkPath">Path of the step in the web UI, e.g. <c>/steg/42</c>.</param>
/// <param name="Comment">A comment by a person (a return reason, an escalation note); user text.</param>
/// <param name="ActorName">Who did what the email reports: who submitted (approval request), returned, or completed the step.</param>
/// <param name="DigestItems">The lines of a weekly digest; empty otherwise.</param>
/// <param name="Late">How late the step is when the email goes out (overdue notices and escalations); null otherwise.</param>
/// <param name="AwaitingApproval">The step has been submitted and waits for a sign-off: an overdue notice then goes to the approver.</param>
/// <param name="CompletedByApproval">A completed step was completed by its last approval (else confirmed by hand).</param>
public sealed record EmailModel(
    EmailKind Kind,
    EmailRecipient Recipient,
    string OrganisationId,
    string CycleName,
    int CycleYear,
    string StepTitle,
    string BodyName,
    DateTimeOffset? Due,
    int? WorkingDaysLeft,
    string LinkPath,
    string? Comment = null,
    string? ActorName = null,
    IReadOnlyList<DigestItem>? DigestItems = null,
    Rendering.Lateness? Late = null,
    bool AwaitingApproval = false,
    bool CompletedByApproval = false)
{
    /// <summary>
    /// The cycle as the emails name it, with its year once: the name when it already ends in (or holds) the year, else
    /// the name and the year.
    /// </summary>
    public string CycleLabel
    {
        get
        {
            var year = CycleYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(CycleName))
            {
                return CycleYear > 0 ? year : string.Empty;
            }

            var words = CycleName.Split([' ', '\u00a0', '(', ')', ',', '–', '-'], StringSplitOptions.RemoveEmptyEntries);
            return CycleYear <= 0 || words.Contains(year, StringComparer.Ordinal) ? CycleName : $"{CycleName} {year}";
        }
    }

    /// <summary>The web UI path of a step: <c>/steg/{stepId}</c> (the UI speaks Swedish).</summary>
    public static string StepPath<TId>(TId stepId)
        where TId : notnull =>
        "/steg/" + Uri.EscapeDataString(Convert.ToString(stepId, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
}
