namespace AnnualCycle.Domain.Errors;

/// <summary>Base of the errors a command reports to its caller; the API maps each to one problem response.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>
/// A state change asked from a state it is not allowed from (409). The message always says
/// "from X to Y", e.g. "Step hsn-namndplan cannot change from Completed to Approved."
/// </summary>
public sealed class IllegalTransitionException(string subject, string from, string to, string? reason = null)
    : DomainException($"{subject} cannot change from {from} to {to}{(reason is null ? "." : ": " + reason)}")
{
    public string From { get; } = from;

    public string To { get; } = to;
}

/// <summary>Another write got there first, or the thing already exists (409).</summary>
public class ConflictException(string message) : DomainException(message);

/// <summary>
/// The cycle's dates cannot be worked out again (409): e.g. the meeting calendar no longer has a meeting a step is
/// anchored to. The cycle's state, not the request, is at fault; <see cref="Cause"/> is the planner's own reason.
/// </summary>
public sealed class PlanUnresolvableException(string message, string cause) : ConflictException(message)
{
    public string Cause { get; } = cause;
}

/// <summary>The actor may not do this (403). The message says which grant is missing, never more.</summary>
public sealed class ForbiddenActionException(string message) : DomainException(message);

/// <summary>No such thing, or not visible to the actor (404).</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>Bad input (400), naming the field, e.g. field "year", message "must be between 2000 and 2100".</summary>
public sealed class InputException(string field, string message) : DomainException($"{field}: {message}")
{
    public string Field { get; } = field;

    public string Problem { get; } = message;
}
