namespace AnnualCycle.Web.Ui;

/// <summary>
/// How a cell of the dashboard's matrix reads at a glance. Late splits in two, because the process owner chases them
/// differently: late and the body can act now (the step is open or returned to it), and late but blocked (it still waits
/// for an earlier step, or it is submitted and waits for an approval). Each mark has its own icon and words
/// (<see cref="UiText.MarkName"/>), never colour alone.
/// </summary>
public static class MatrixMark
{
    public const string LateActionable = "late-actionable";
    public const string LateBlocked = "late-blocked";
    public const string Waiting = "waiting";
    public const string Open = "open";
    public const string Returned = "returned";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> All = [LateActionable, LateBlocked, Waiting, Open, Returned, Done];

    /// <param name="state">The step's state name (<c>StepState</c>).</param>
    /// <param name="overdue">Its due instant has passed and it is not resolved.</param>
    public static string Of(string state, bool overdue) => state switch
    {
        "Completed" or "Skipped" or "Cancelled" => Done,
        "Opened" or "Returned" when overdue => LateActionable,
        _ when overdue => LateBlocked,
        "Opened" => Open,
        "Returned" => Returned,
        _ => Waiting,
    };
}
