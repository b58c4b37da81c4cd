namespace AnnualCycle.Notifications.Rendering;

/// <summary>The three rendered parts of one email.</summary>
/// <param name="Subject">The subject line, trimmed; CR/LF inside it is refused later when the MIME message is built.</param>
/// <param name="Html">The HTML body; every value is HTML-encoded.</param>
/// <param name="Text">The plain-text alternative.</param>
/// <param name="Problems">
/// Organisation overrides that could not be used for this email (<c>path:line:column: message</c> for a parse
/// error, <c>path: message</c> for a template stopped while rendering); the built-in template was used instead.
/// </param>
public sealed record RenderedEmail(string Subject, string Html, string Text, IReadOnlyList<string> Problems);

/// <summary>Renders an <see cref="EmailModel"/> with the built-in or the organisation's templates.</summary>
public interface IEmailRenderer
{
    Task<RenderedEmail> RenderAsync(EmailModel model, CancellationToken cancellationToken = default);
}

/// <summary>The parts of one email kind, each a template file: <c>{kind}.{part}.liquid</c>.</summary>
public enum TemplatePart
{
    Subject,
    Html,
    Text,
}

public static class TemplatePartNames
{
    /// <summary><c>subject</c>, <c>html</c> or <c>txt</c>: the middle of <c>reminder.html.liquid</c>.</summary>
    public static string FileInfix(this TemplatePart part) => part switch
    {
        TemplatePart.Subject => "subject",
        TemplatePart.Html => "html",
        TemplatePart.Text => "txt",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown template part."),
    };

    /// <summary>The file name of a template: <c>reminder.html.liquid</c>.</summary>
    public static string FileName(EmailKind kind, TemplatePart part) => $"{kind.TemplateName()}.{part.FileInfix()}.liquid";
}
