using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using AnnualCycle.Domain.Calendar;
using Fluid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Notifications.Rendering;

/// <summary>
/// Renders emails with Fluid. The model's values are set on the template context one by one: user text is data,
/// so "{{ 7 | plus: 1 }}" in a comment is printed as typed and "&lt;script&gt;" is encoded in HTML. An override that
/// does not parse, or runs more than <see cref="MaxSteps"/> statements (a loop over a huge range), is reported
/// and the built-in template is used for that part.
/// </summary>
public sealed class FluidEmailRenderer : IEmailRenderer
{
    /// <summary>
    /// Statements one template may execute. A digest of a few hundred lines needs a few thousand; a runaway
    /// loop is stopped after this many, in milliseconds, instead of holding the dispatcher.
    /// </summary>
    public const int MaxSteps = 100_000;

    /// <summary>
    /// Wall-clock limit of one override part. <see cref="MaxSteps"/> and <see cref="RangeGuard"/> bound the work;
    /// this bounds the wait for anything they miss (a pathological filter), and the built-in is used instead.
    /// </summary>
    public static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(5);

    // Encodes what HTML needs (<, >, &, quotes) but leaves å, ä, ö readable in the source of the email.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly TemplateStore _store;
    private readonly EmailOptions _options;
    private readonly StockholmTime _time;
    private readonly ILogger<FluidEmailRenderer> _logger;
    private readonly TemplateOptions _templateOptions;

    public FluidEmailRenderer(
        TemplateStore store,
        IOptions<EmailOptions> options,
        StockholmTime time,
        ILogger<FluidEmailRenderer>? logger = null)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger ?? NullLogger<FluidEmailRenderer>.Instance;
        _templateOptions = new TemplateOptions
        {
            MaxSteps = MaxSteps,
            MaxRecursion = 20,
            CultureInfo = CultureInfo.GetCultureInfo("sv-SE"),
            TimeZone = _time.Zone,
        };
    }

    public async Task<RenderedEmail> RenderAsync(EmailModel model, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        // The built-in parts of one message share one context: its values are the same for subject, HTML and text, and
        // filling it (formatting the deadline in the zone, the link) was most of the cost of rendering a message.
        var shared = new Lazy<TemplateContext>(() => CreateContext(model), LazyThreadSafetyMode.None);
        var subject = await RenderPartAsync(model, TemplatePart.Subject, NullEncoder.Default, problems, shared);
        cancellationToken.ThrowIfCancellationRequested();
        var html = await RenderPartAsync(model, TemplatePart.Html, Html, problems, shared);
        cancellationToken.ThrowIfCancellationRequested();
        var text = await RenderPartAsync(model, TemplatePart.Text, NullEncoder.Default, problems, shared);
        return new RenderedEmail(subject.Trim(), html, text, problems);
    }

    private async Task<string> RenderPartAsync(EmailModel model, TemplatePart part, TextEncoder encoder, List<string> problems, Lazy<TemplateContext> shared)
    {
        var language = model.Recipient.Language;
        var custom = _store.Override(model.OrganisationId, language, model.Kind, part, out var parseProblem);
        if (parseProblem is not null)
        {
            Report(problems, parseProblem);
        }

        if (custom is not null)
        {
            try
            {
                // An override gets a context of its own: one stopped by the timeout may still be running on it.
                var context = CreateContext(model);
                return await Task.Run(async () => await custom.RenderAsync(context, encoder)).WaitAsync(RenderTimeout);
            }
            catch (TimeoutException)
            {
                var path = _store.OverridePath(model.OrganisationId, language, model.Kind, part);
                Report(problems, $"{path}: stopped after {RenderTimeout.TotalSeconds:0} s of rendering, the built-in template was used");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Fluid throws InvalidOperationException when MaxSteps or MaxRecursion is reached, and a filter may
                // throw anything on odd input: whatever an organisation's template does wrong must cost it the
                // override, never the reminder. The built-in templates are tested and are not caught here.
                var path = _store.OverridePath(model.OrganisationId, language, model.Kind, part);
                Report(problems, $"{path}: stopped while rendering, the built-in template was used: {ex.Message}");
            }
        }

        // A scope per part: whatever one part sets (a loop's variables) is gone before the next part renders.
        var builtInContext = shared.Value;
        builtInContext.EnterChildScope();
        try
        {
            return await _store.BuiltIn(language, model.Kind, part).RenderAsync(builtInContext, encoder);
        }
        finally
        {
            builtInContext.ReleaseScope();
        }
    }

    private void Report(List<string> problems, string problem)
    {
        problems.Add(problem);
        _logger.LogWarning("Email template override not used: {Problem}", problem);
    }

    private TemplateContext CreateContext(EmailModel model)
    {
        var language = model.Recipient.Language;
        var context = new TemplateContext(_templateOptions);
        context.SetValue("recipient_name", model.Recipient.Name);
        context.SetValue("cycle_name", model.CycleName);
        context.SetValue("cycle_year", model.CycleYear);
        context.SetValue("cycle", model.CycleLabel);
        context.SetValue("step_title", model.StepTitle);
        context.SetValue("body_name", model.BodyName);
        context.SetValue("has_due", model.Due.HasValue);
        context.SetValue("due", model.Due is { } due ? DeadlineText.Format(due, language, _time) : string.Empty);
        context.SetValue("deadline", model.Due is { } dl ? DeadlineText.FormatDeadline(dl, language, _time) : string.Empty);
        context.SetValue("due_date", model.Due is { } d ? DeadlineText.FormatDate(d, language, _time) : string.Empty);
        context.SetValue("due_time", model.Due is { } t ? DeadlineText.FormatTime(t, language, _time) : string.Empty);
        context.SetValue("has_working_days_left", model.WorkingDaysLeft.HasValue);
        context.SetValue("working_days_left", model.WorkingDaysLeft ?? 0);
        context.SetValue(
            "working_days_left_text",
            model.WorkingDaysLeft is { } left ? DeadlineText.WorkingDaysLeftText(left, language) : string.Empty);
        context.SetValue(
            "working_days_left_sentence",
            model.WorkingDaysLeft is { } l ? DeadlineText.WorkingDaysLeftSentence(l, language) : string.Empty);
        context.SetValue("is_late", model.Late.HasValue);
        context.SetValue("late_text", model.Late is { } late ? DeadlineText.LateText(late, language) : string.Empty);
        context.SetValue("working_days_late", model.Late?.WorkingDays ?? 0);
        context.SetValue("days_late", model.Late?.Days ?? 0);
        context.SetValue("awaiting_approval", model.AwaitingApproval);
        context.SetValue("completed_by_approval", model.CompletedByApproval);
        context.SetValue("link", _options.Link(model.LinkPath));
        context.SetValue("base_url", _options.PublicBaseUrl.TrimEnd('/'));
        context.SetValue("comment", model.Comment ?? string.Empty);
        context.SetValue("has_comment", !string.IsNullOrWhiteSpace(model.Comment));
        context.SetValue("actor_name", model.ActorName ?? string.Empty);
        var items = (model.DigestItems ?? []).Select(i => (object)new Dictionary<string, object>
        {
            ["cycle_name"] = i.CycleName,
            ["step_title"] = i.StepTitle,
            ["body_name"] = i.BodyName,
            ["due"] = DeadlineText.Format(i.Due, language, _time),
            ["overdue"] = i.Overdue,
            ["link"] = _options.Link(i.LinkPath),
        }).ToList();
        context.SetValue("items", items);
        context.SetValue("item_count", items.Count);
        return context;
    }
}
