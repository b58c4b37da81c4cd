using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Fluid;

namespace AnnualCycle.Notifications.Rendering;

/// <summary>
/// Finds and parses templates: the built-in ones embedded in this assembly, and an organisation's overrides
/// under <see cref="EmailOptions.TemplatesFolder"/>, <c>&lt;organisation&gt;/&lt;sv|en&gt;/&lt;kind&gt;.&lt;part&gt;.liquid</c>.
/// An override is re-read when its file changes, so an administrator's fix takes effect without a restart.
/// </summary>
public sealed partial class TemplateStore
{
    private readonly FluidParser _parser = new();
    private readonly string _folder;
    private readonly string _baseDirectory;
    private readonly ConcurrentDictionary<(EmailLanguage, EmailKind, TemplatePart), IFluidTemplate> _builtIn = new();
    private readonly ConcurrentDictionary<string, CachedOverride> _overrides = new(StringComparer.Ordinal);

    /// <param name="templatesFolder">The folder as configured; problems name files under it as written.</param>
    /// <param name="baseDirectory">What a relative <paramref name="templatesFolder"/> is relative to: the repository
    /// root (the folder holding <c>workflows/</c>); the working directory when null.</param>
    public TemplateStore(string templatesFolder, string? baseDirectory = null)
    {
        _folder = templatesFolder;
        _baseDirectory = baseDirectory ?? Directory.GetCurrentDirectory();
    }

    /// <summary>The built-in template. Built-ins are part of the product: a broken one is a bug and throws.</summary>
    public IFluidTemplate BuiltIn(EmailLanguage language, EmailKind kind, TemplatePart part) =>
        _builtIn.GetOrAdd((language, kind, part), key =>
        {
            var name = $"{typeof(TemplateStore).Assembly.GetName().Name}.Templates.{key.Item1.Code()}.{TemplatePartNames.FileName(key.Item2, key.Item3)}";
            using var stream = typeof(TemplateStore).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Built-in template {name} is missing.");
            using var reader = new StreamReader(stream);
            var source = reader.ReadToEnd();
            return _parser.TryParse(source, out var template, out var error)
                ? template
                : throw new InvalidOperationException($"Built-in template {name} does not parse: {error}");
        });

    /// <summary>The path where an organisation's override of a template would be, as it is reported.</summary>
    public string OverridePath(string organisationId, EmailLanguage language, EmailKind kind, TemplatePart part) =>
        Path.Combine(_folder, organisationId, language.Code(), TemplatePartNames.FileName(kind, part));

    /// <summary>
    /// The organisation's override, when its file exists. <paramref name="problem"/> is set (and the result null)
    /// when the file exists but does not parse.
    /// </summary>
    public IFluidTemplate? Override(string organisationId, EmailLanguage language, EmailKind kind, TemplatePart part, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(organisationId) || organisationId.IndexOfAny(['/', '\\']) >= 0 || organisationId.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var path = OverridePath(organisationId, language, kind, part);
        var file = new FileInfo(Physical(path));
        if (!file.Exists)
        {
            return null;
        }

        var cached = _overrides.GetValueOrDefault(path);
        if (cached is null || cached.LastWriteUtc != file.LastWriteTimeUtc || cached.Length != file.Length)
        {
            cached = Load(path, file);
            _overrides[path] = cached;
        }

        problem = cached.Problem;
        return cached.Template;
    }

    /// <summary>
    /// Every problem of every override file under the templates folder: parse errors, and files whose name is not a
    /// known language, kind and part. For a start-up check and the administrator's page, like broken definitions.
    /// </summary>
    public IReadOnlyList<string> CheckOverrides()
    {
        var problems = new List<string>();
        var root = Physical(_folder);
        if (!Directory.Exists(root))
        {
            return problems;
        }

        var known = Enum.GetValues<EmailKind>()
            .SelectMany(k => Enum.GetValues<TemplatePart>().Select(p => TemplatePartNames.FileName(k, p)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(root, "*.liquid", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
            var reported = Path.Combine(_folder, Path.GetRelativePath(root, path));
            if (relative.Length != 3 || relative[1] is not ("sv" or "en") || !known.Contains(relative[2]))
            {
                problems.Add($"{reported}:1:1: not a template this product uses; expected <organisation>/<sv|en>/<kind>.<subject|html|txt>.liquid");
                continue;
            }

            var loaded = Load(reported, new FileInfo(path));
            if (loaded.Problem is not null)
            {
                problems.Add(loaded.Problem);
            }
        }

        return problems;
    }

    private string Physical(string path) => Path.GetFullPath(path, _baseDirectory);

    private CachedOverride Load(string path, FileInfo file)
    {
        string source;
        try
        {
            source = File.ReadAllText(file.FullName);
        }
        catch (IOException ex)
        {
            return new CachedOverride(file.LastWriteTimeUtc, file.Length, null, $"{path}:1:1: cannot read: {ex.Message}");
        }

        if (_parser.TryParse(source, out var template, out var error))
        {
            var guard = RangeGuard.Check(template, source, path);
            return new CachedOverride(file.LastWriteTimeUtc, file.Length, guard is null ? template : null, guard);
        }

        return new CachedOverride(file.LastWriteTimeUtc, file.Length, null, FormatParseError(path, error));
    }

    /// <summary>
    /// Fluid reports a parse error as "… at (line:column)" followed by lines quoting the source; this turns it into
    /// one line, <c>path:line:column: message</c>.
    /// </summary>
    internal static string FormatParseError(string path, string? error)
    {
        error = (error ?? "the template does not parse").ReplaceLineEndings("\n").Split("\n")[0];
        var match = PositionPattern().Match(error);
        if (!match.Success)
        {
            return $"{path}:1:1: {error.Trim()}";
        }

        var message = (error[..match.Index] + error[(match.Index + match.Length)..]).Trim().TrimEnd(',', '.', ':').Trim();
        return $"{path}:{match.Groups["line"].Value}:{match.Groups["column"].Value}: {message}";
    }

    [GeneratedRegex(@"\s*(?:at\s*)?\((?<line>\d+):(?<column>\d+)\)")]
    private static partial Regex PositionPattern();

    private sealed record CachedOverride(DateTime LastWriteUtc, long Length, IFluidTemplate? Template, string? Problem);
}
