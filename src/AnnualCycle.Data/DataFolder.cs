using Microsoft.Extensions.Configuration;

namespace AnnualCycle.Data;

/// <summary>
/// The one folder everything the service writes goes to (SQLite file, mail pick-up, uploads).
/// Configuration key <c>DataFolder</c>; a relative path is taken from the working directory.
/// </summary>
public sealed record DataFolder(string Path)
{
    public const string Key = "DataFolder";

    public static DataFolder From(IConfiguration configuration)
    {
        var configured = configuration[Key];
        var path = string.IsNullOrWhiteSpace(configured) ? "data" : configured;
        var full = System.IO.Path.GetFullPath(path, Directory.GetCurrentDirectory());
        Directory.CreateDirectory(full);
        return new DataFolder(full);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
