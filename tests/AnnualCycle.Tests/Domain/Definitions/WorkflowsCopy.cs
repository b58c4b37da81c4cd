using AnnualCycle.Runtime.Hosting;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>A throwaway copy of the shipped <c>workflows/</c> folder that a test can break on purpose.</summary>
public sealed class WorkflowsCopy : IDisposable
{
    public WorkflowsCopy()
    {
        Folder = Path.Combine(Path.GetTempPath(), "annualcycle-workflows-" + Guid.NewGuid().ToString("N"));
        Copy(ShippedFolder, Folder);
    }

    public static string ShippedFolder => Path.Combine(RepositoryConfiguration.FindRoot(), "workflows");

    public string Folder { get; }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    /// <summary>Replaces the one occurrence of <paramref name="old"/> (fails the test if it is not exactly one).</summary>
    public void Replace(string relative, string old, string replacement)
    {
        var path = PathOf(relative);
        var text = File.ReadAllText(path);
        var first = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(first >= 0, $"'{old}' not found in {relative}");
        Assert.True(text.IndexOf(old, first + 1, StringComparison.Ordinal) < 0, $"'{old}' occurs more than once in {relative}");
        File.WriteAllText(path, text[..first] + replacement + text[(first + old.Length)..]);
    }

    /// <summary>"line:column" (1-based, column in characters) of the one occurrence of <paramref name="marker"/>, plus <paramref name="skip"/> characters.</summary>
    public string PositionOf(string relative, string marker, int skip = 0)
    {
        var text = File.ReadAllText(PathOf(relative));
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{marker}' not found in {relative}");
        index += skip;
        var line = text[..index].Count(c => c == '\n') + 1;
        var column = index - (text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1) + 1;
        if (text.LastIndexOf('\n', Math.Max(index - 1, 0)) < 0)
        {
            column = index + 1;
        }

        return $"{line}:{column}";
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
