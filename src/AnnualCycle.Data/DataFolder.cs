using Microsoft.Extensions.Configuration;

namespace AnnualCycle.Data;

/// <summary>
/// The one folder everything the service writes goes to (SQLite file, mail pick-up, uploads).
/// Configuration key <c>DataFolder</c>; a relative path is taken from the working directory.
/// </summary>
public sealed record DataFolder(string Path)
{
    public const string Key = "DataFolder";

    /// <summary>The configured folder, created when missing.</summary>
    public static DataFolder From(IConfiguration configuration)
    {
        var full = PathFrom(configuration);
        Directory.CreateDirectory(full);
        return new DataFolder(full);
    }

    /// <summary>The full path of the configured folder, without creating anything (for tools that only read).</summary>
    public static string PathFrom(IConfiguration configuration)
    {
        var configured = configuration[Key];
        var path = string.IsNullOrWhiteSpace(configured) ? "data" : configured;
        return System.IO.Path.GetFullPath(path, Directory.GetCurrentDirectory());
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
