using System.Text.Json.Serialization;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.People;

namespace AnnualCycle.Runtime.Cycles;

/// <summary>Why a person may not do something with a step now; each maps to one HTTP status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Refusal>))]
public enum Refusal
{
    /// <summary>No grant in the step's organisation: the step is not shown to exist (404).</summary>
    NotVisible,

    /// <summary>The person lacks the role the action needs (403).</summary>
    NotPermitted,

    /// <summary>The person submitted this round, or already signed it in some capacity (403).</summary>
    SeparationOfDuties,

    /// <summary>This kind of step never does the action: a meeting is confirmed, not submitted (409).</summary>
    WrongKind,

    /// <summary>Not from the step's current state (409).</summary>
    WrongState,
}

/// <summary>
/// One action of <see cref="StepCapabilities"/>: allowed, with the grant it would use, or refused with the reason a
/// command would answer (the same words as the 403/404/409 problem).
/// </summary>
/// <param name="Role">The role whose grant is used (e.g. <c>contributor</c>, <c>process-owner</c>, <c>forvaltningsdirektor</c>).</param>
/// <param name="OnBehalfOfUserId">Set when the person would act as a deputy (ersättare) for this principal.</param>
/// <param name="ApprovalId">For approve and return: the approval of the chain that would be decided.</param>
/// <param name="DecisionOf">
/// Set when the action records this body's decision at its meeting (<see cref="StepCapabilities.DecisionOf"/>): the
/// command then needs the meeting date and the paragraph (§), and the UI asks for them.
/// </param>
public sealed record Capability(bool Allowed, string? Role = null, string? OnBehalfOfUserId = null, Guid? ApprovalId = null, Refusal? Refusal = null, string? Reason = null, string? DecisionOf = null)
{
    /// <summary>What a command throws for this refusal (null when allowed).</summary>
    internal DomainException? Error { get; private init; }

    internal static Capability Grant(StepAuthorization.Authority authority, string role, Guid? approvalId = null, string? decisionOf = null) =>
        new(true, role, authority.OnBehalfOfUserId, approvalId, DecisionOf: decisionOf);

    internal static Capability Refuse(Refusal refusal, DomainException error) =>
        new(false, Refusal: refusal, Reason: error.Message) { Error = error };
}

/// <summary>
/// What this person may do with this step now, and why not: THE rule for who may do what. Pure (no I/O): it reads the
/// actor's grants, the step, its organisation and the approvals of its chain. The command handlers guard with
/// <see cref="Require"/>, the step queries and the task list return it (<see cref="Queries.StepDto.Capabilities"/>), and
/// the UI draws it.
/// </summary>
/// <remarks>
/// Checked in this order, the first failure answering: a grant in the step's organisation (else <see cref="Refusal.NotVisible"/>,
/// for every action); the kind of step (<see cref="Refusal.WrongKind"/>); the role (<see cref="Refusal.NotPermitted"/>);
/// the state (<see cref="Refusal.WrongState"/>). Approve and return look at the state first, since the role they need
/// is the current approval's; then separation of duties over the whole chain of the round: the submitter and the
/// principal they acted for sign nothing, and nobody gives two signatures, in any capacity (own role, as a deputy,
/// through a second role). A deputy who also holds the role themselves uses their own grant first; of several
/// principals, the first one that keeps the chain clean.
/// </remarks>
public sealed record StepCapabilities(
    Capability Submit,
    Capability Upload,
    Capability Approve,
    Capability Return,
    Capability Confirm,
    Capability Skip,
    Capability Cancel,
    Capability Reschedule,
    Capability Remind,
    Capability MarkDone)
{
    /// <summary>The actions a person can ask for, in the order the UI shows them.</summary>
    public static readonly IReadOnlyList<StepAction> PersonActions =
        [StepAction.Submit, StepAction.Upload, StepAction.Approve, StepAction.Return, StepAction.Confirm, StepAction.Skip, StepAction.Cancel, StepAction.Reschedule, StepAction.Remind, StepAction.MarkDone];

    /// <summary>Who may ask for each action (the engine's own actions included), as the README's table says it.</summary>
    public static readonly IReadOnlyDictionary<StepAction, string> Who = new Dictionary<StepAction, string>
    {
        [StepAction.Open] = "the engine: at the open time, or when the last step it waits for is resolved",
        [StepAction.Upload] = "a contributor of the step's body (or their deputy)",
        [StepAction.Submit] = "a contributor of the step's body (or their deputy)",
        [StepAction.Approve] = "the holder of the current approval's role in its body (or their deputy); never the submitter, never a second signature of the round",
        [StepAction.Return] = "as approve; a comment is required",
        [StepAction.Complete] = "the engine: after the last approval, or at once when the step has none",
        [StepAction.Confirm] = "a contributor of the step's body, its secretary (`namnd`, for a decision) or a process owner",
        [StepAction.Remind] = "a process owner, by hand (the reminder timers only send mail)",
        [StepAction.Reschedule] = "a process owner",
        [StepAction.Skip] = "a process owner; a reason is required",
        [StepAction.Cancel] = "a process owner; a reason is required",
        [StepAction.MarkDone] = "a process owner, when starting a cycle after the step's deadline: done before the cycle was started",
    };

    /// <summary>The capability for one action a person can ask for.</summary>
    public Capability Of(StepAction action) => action switch
    {
        StepAction.Submit => Submit,
        StepAction.Upload => Upload,
        StepAction.Approve => Approve,
        StepAction.Return => Return,
        StepAction.Confirm => Confirm,
        StepAction.Skip => Skip,
        StepAction.Cancel => Cancel,
        StepAction.Reschedule => Reschedule,
        StepAction.Remind => Remind,
        StepAction.MarkDone => MarkDone,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "only the engine does this"),
    };

    /// <summary>Whether the person may do anything at all with the step now.</summary>
    [JsonIgnore]
    public bool Any => PersonActions.Any(a => Of(a).Allowed);

    /// <summary>The guard of a command: the authority to act with, or the refusal as its exception (404, 403 or 409).</summary>
    public StepAuthorization.Authority Require(StepAction action, Actor actor)
    {
        var capability = Of(action);
        return capability.Allowed ? new StepAuthorization.Authority(actor.UserId, capability.OnBehalfOfUserId) : throw capability.Error!;
    }

    /// <param name="approvals">The step's approvals (any rounds; only the step's current round counts).</param>
    public static StepCapabilities For(Actor actor, string organisationId, StepInstanceEntity step, IEnumerable<ApprovalInstanceEntity> approvals)
    {
        if (!actor.IsMemberOf(organisationId))
        {
            var hidden = Capability.Refuse(Refusal.NotVisible, new NotFoundException($"No step {step.Id}."));
            return new StepCapabilities(hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden);
        }

        var round = approvals.Where(a => a.StepInstanceId == step.Id && a.Round == step.Round).OrderBy(a => a.Order).ToList();
        var contributor = Rule(Roles.Contributor, StepAuthorization.FindGrant(actor, organisationId, step.BodyId, Roles.Contributor));
        var owner = Rule(Roles.ProcessOwner, StepAuthorization.FindGrant(actor, organisationId, null, Roles.ProcessOwner));
        // A decision is recorded by whoever keeps the body's minutes: its secretary (the namnd grant) besides its contributors.
        var secretary = step.Kind == StepKind.Decision ? Rule(Roles.Committee, StepAuthorization.FindGrant(actor, organisationId, step.BodyId, Roles.Committee)) : null;
        var ownerOnly = $"Only a process owner of {organisationId} may do this.";
        var decide = Decision(actor, organisationId, step, round);
        return new StepCapabilities(
            Submit: Check(step, StepAction.Submit, contributor, $"Only a contributor of {step.BodyId} may submit this step."),
            Upload: Check(step, StepAction.Upload, contributor, $"Only a contributor of {step.BodyId} may upload a deliverable to this step."),
            Approve: decide(StepAction.Approve),
            Return: decide(StepAction.Return),
            Confirm: Check(step, StepAction.Confirm, contributor ?? secretary ?? owner, $"Only a contributor of {step.BodyId}, its secretary (a decision) or a process owner may confirm this step."),
            Skip: Check(step, StepAction.Skip, owner, ownerOnly),
            Cancel: Check(step, StepAction.Cancel, owner, ownerOnly),
            Reschedule: Check(step, StepAction.Reschedule, owner, ownerOnly),
            Remind: Check(step, StepAction.Remind, owner, ownerOnly),
            MarkDone: Check(step, StepAction.MarkDone, owner, ownerOnly));
    }

    /// <summary>
    /// THE rule of which actions record a body's decision at its meeting, so that they carry the meeting date and the
    /// paragraph (§): the signature of an approval whose role is the body itself (<see cref="Roles.Committee"/>, "the nämnd
    /// at its meeting", recorded by its secretary), and the confirmation of a step of kind <see cref="StepKind.Decision"/>
    /// (regionfullmäktige decides the regionplan, a nämnd its nämndplan). Meetings and milestones are confirmed without them.
    /// </summary>
    /// <returns>The body whose decision it is, or null when the action records none.</returns>
    public static string? DecisionOf(StepAction action, StepInstanceEntity step, ApprovalInstanceEntity? current) => action switch
    {
        StepAction.Approve when current?.Role == Roles.Committee => current.BodyId,
        StepAction.Confirm when step.Kind == StepKind.Decision => step.BodyId,
        _ => null,
    };

    private static (string Role, StepAuthorization.Authority Authority)? Rule(string role, StepAuthorization.Authority? authority) =>
        authority is null ? null : (role, authority);

    private static Capability Check(StepInstanceEntity step, StepAction action, (string Role, StepAuthorization.Authority Authority)? grant, string notPermitted)
    {
        if (KindRefusal(step, action) is { } wrongKind)
        {
            return wrongKind;
        }

        if (grant is not { } g)
        {
            return Capability.Refuse(Refusal.NotPermitted, new ForbiddenActionException(notPermitted));
        }

        return StepTransitions.IsAllowed(action, step.State) ? Capability.Grant(g.Authority, g.Role, decisionOf: DecisionOf(action, step, null)) : WrongState(step, action);
    }

    private static Func<StepAction, Capability> Decision(Actor actor, string organisationId, StepInstanceEntity step, List<ApprovalInstanceEntity> round)
    {
        var current = round.FirstOrDefault(a => a.State == ApprovalState.Pending);
        return action =>
        {
            if (KindRefusal(step, action) is { } wrongKind)
            {
                return wrongKind;
            }

            // No pending approval although Submitted: the chain was decided meanwhile; the state read is stale.
            if (!StepTransitions.IsAllowed(action, step.State) || current is null)
            {
                return WrongState(step, action);
            }

            var candidates = StepAuthorization.Authorities(actor, organisationId, current.BodyId, current.Role).ToList();
            if (candidates.Count == 0)
            {
                return Capability.Refuse(Refusal.NotPermitted, new ForbiddenActionException($"Only the holder of {current.Role} in {current.BodyId} may decide this approval."));
            }

            var submitters = new[] { step.SubmittedByUserId, step.SubmittedOnBehalfOfUserId }.OfType<string>().ToHashSet(StringComparer.Ordinal);
            var signed = round.Where(a => a.State != ApprovalState.Pending)
                .SelectMany(a => new[] { a.DecidedByUserId, a.OnBehalfOfUserId }).OfType<string>().ToHashSet(StringComparer.Ordinal);
            bool Clean(StepAuthorization.Authority a, HashSet<string> people) =>
                !people.Contains(a.UserId) && (a.OnBehalfOfUserId is null || !people.Contains(a.OnBehalfOfUserId));

            if (!candidates.Any(a => Clean(a, submitters)))
            {
                return Capability.Refuse(Refusal.SeparationOfDuties,
                    new ForbiddenActionException("Whoever submitted a step may not approve or return it (separation of duties)."));
            }

            var authority = candidates.FirstOrDefault(a => Clean(a, submitters) && Clean(a, signed));
            return authority is null
                ? Capability.Refuse(Refusal.SeparationOfDuties,
                    new ForbiddenActionException("No one gives two signatures of one step's chain in a round, in any capacity (separation of duties)."))
                : Capability.Grant(authority, current.Role, current.Id, DecisionOf(action, step, current));
        };
    }

    private static Capability? KindRefusal(StepInstanceEntity step, StepAction action) =>
        StepTransitions.KindRefusal(action, step.Kind) is { } reason
            ? Capability.Refuse(Refusal.WrongKind, new IllegalTransitionException($"Step {step.Key}", step.State.ToString(), StepTransitions.TargetName(action), reason))
            : null;

    private static Capability WrongState(StepInstanceEntity step, StepAction action) =>
        Capability.Refuse(Refusal.WrongState, new IllegalTransitionException($"Step {step.Key}", step.State.ToString(), StepTransitions.TargetName(action)));
}
