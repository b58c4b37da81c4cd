using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// Which buttons a step page shows, decided with the runtime's own <see cref="StepAuthorization"/> and
/// <see cref="StepTransitions"/>. Only a convenience: the handlers check again on every command.
/// </summary>
public sealed record StepPermissions(bool Submit, bool Confirm, bool Approve, bool Return, bool Skip, bool Cancel, bool Reschedule, bool Remind)
{
    public static readonly StepPermissions None = new(false, false, false, false, false, false, false, false);

    public bool Any => Submit || Confirm || Approve || Return || Skip || Cancel || Reschedule || Remind;

    public bool ProcessOwner => Skip || Cancel || Reschedule || Remind;

    public static StepPermissions Decide(Actor actor, string organisationId, StepDetailDto detail)
    {
        var step = detail.Step;
        if (!Enum.TryParse<StepState>(step.State, out var state))
        {
            return None;
        }

        var confirmKind = step.Kind is nameof(StepKind.Meeting) or nameof(StepKind.Milestone) or nameof(StepKind.Decision);
        var contributor = StepAuthorization.FindGrant(actor, organisationId, step.BodyId, Roles.Contributor) is not null;
        var owner = StepAuthorization.FindGrant(actor, organisationId, null, Roles.ProcessOwner) is not null;

        var mayDecide = false;
        if (state == StepState.Submitted)
        {
            var round = detail.Approvals.Count == 0 ? 0 : detail.Approvals.Max(a => a.Round);
            var current = detail.Approvals.Where(a => a.Round == round && a.State == nameof(ApprovalState.Pending)).MinBy(a => a.Order);
            if (current is not null)
            {
                try
                {
                    StepAuthorization.RequireApprover(actor, organisationId, current.BodyId, current.Role, step.SubmittedByUserId, step.SubmittedOnBehalfOfUserId);
                    mayDecide = true;
                }
                catch (ForbiddenActionException)
                {
                    mayDecide = false;
                }
            }
        }

        return new StepPermissions(
            Submit: !confirmKind && contributor && StepTransitions.IsAllowed(StepAction.Submit, state),
            Confirm: confirmKind && (contributor || owner) && StepTransitions.IsAllowed(StepAction.Confirm, state),
            Approve: mayDecide,
            Return: mayDecide,
            Skip: owner && StepTransitions.IsAllowed(StepAction.Skip, state),
            Cancel: owner && StepTransitions.IsAllowed(StepAction.Cancel, state),
            Reschedule: owner && StepTransitions.IsAllowed(StepAction.Reschedule, state),
            Remind: owner && StepTransitions.IsAllowed(StepAction.Remind, state));
    }
}
