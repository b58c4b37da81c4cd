namespace AnnualCycle.Cli;

/// <summary>Entry point; a named class (not top-level statements) so it does not clash with the web app's <c>Program</c> in tests.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
