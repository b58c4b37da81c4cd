namespace AnnualCycle.Domain.Organisations;

/// <summary>What kind of body a <see cref="Body"/> is; decides e.g. which bodies "for each nämnd" fans out over.</summary>
public enum BodyKind
{
    /// <summary>Regionfullmäktige: adopts the budget and the regionplan.</summary>
    Assembly,

    /// <summary>Regionstyrelsen: prepares the budget, leads and coordinates.</summary>
    Board,

    /// <summary>A nämnd or a styrelse with its own remit (e.g. folkhögskolestyrelsen).</summary>
    Committee,

    /// <summary>The förvaltning serving one committee; its director is the first approver of the committee's work.</summary>
    Administration,

    /// <summary>A staff function such as ekonomistaben.</summary>
    Staff,

    /// <summary>A management group such as CLG (central ledningsgrupp).</summary>
    ManagementGroup,

    /// <summary>The auditors (revisorerna) fullmäktige appoints; they report to fullmäktige in the revisionsberättelse.</summary>
    Audit,
}

/// <summary>A political or official body of an organisation.</summary>
/// <param name="Id">Short stable id used in definitions, e.g. <c>RF</c>, <c>RS</c>, <c>HSN</c>.</param>
/// <param name="Name">Swedish name, e.g. "Hälso- och sjukvårdsnämnden".</param>
/// <param name="Kind">Kind of body.</param>
/// <param name="Serves">For an <see cref="BodyKind.Administration"/>: the id of the committee it serves.</param>
/// <param name="Roles">Named roles in this body that approvals refer to, e.g. <c>forvaltningsdirektor</c>.</param>
public sealed record Body(string Id, string Name, BodyKind Kind, string? Serves, IReadOnlyList<BodyRole> Roles);

/// <summary>A named role in a body, e.g. id <c>forvaltningsdirektor</c>, title "Förvaltningsdirektör".</summary>
public sealed record BodyRole(string Id, string Title);

/// <summary>A sammanträde from a body's sammanträdesplan.</summary>
/// <param name="IsExample">True when the date is a plausible example, not taken from a seed or a decided plan.</param>
public sealed record MeetingDate(string BodyId, DateOnly Date, TimeOnly? Time, bool IsExample, string? Source);

/// <summary>An organisation (tenant): one region with its bodies and meeting calendar.</summary>
public sealed record Organisation(
    string Id,
    string Name,
    string TimeZone,
    IReadOnlyList<Body> Bodies,
    IReadOnlyList<MeetingDate> Meetings)
{
    public Body? FindBody(string id) => Bodies.FirstOrDefault(b => string.Equals(b.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The committees ("each nämnd"): bodies of kind <see cref="BodyKind.Committee"/>.</summary>
    public IEnumerable<Body> Committees => Bodies.Where(b => b.Kind == BodyKind.Committee);

    /// <summary>"Nämnder och styrelser": the committees and the board (regionstyrelsen), in the organisation's order.</summary>
    public IEnumerable<Body> CommitteesAndBoard => Bodies.Where(b => b.Kind is BodyKind.Committee or BodyKind.Board);

    /// <summary>The förvaltning serving a committee, if the organisation names one.</summary>
    public Body? AdministrationOf(string committeeId) =>
        Bodies.FirstOrDefault(b => b.Kind == BodyKind.Administration && string.Equals(b.Serves, committeeId, StringComparison.OrdinalIgnoreCase));
}
