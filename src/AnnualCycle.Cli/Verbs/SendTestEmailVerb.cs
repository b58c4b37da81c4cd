using AnnualCycle.Domain.Errors;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>send-test-email --to addr</c>: sends one email with the service's SMTP settings (or to the pick-up folder when no
/// host is set) and prints the server's answer. Exit 0 when accepted, 1 when refused or unreachable, 2 for a bad address.
/// </summary>
public static class SendTestEmailVerb
{
    public static async Task<int> RunAsync(IReadOnlyList<KeyValuePair<string, string?>> switches, IConfiguration configuration, TextWriter stdout, TextWriter stderr)
    {
        var to = switches.LastOrDefault(s => string.Equals(s.Key, "to", StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new UsageException("send-test-email needs --to <address>.");
        }

        await using var provider = CliHost.Build(configuration);
        await using var scope = provider.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<TestEmailSender>();
        TestEmailResultDto result;
        try
        {
            result = await sender.SendAsync(to);
        }
        catch (InputException ex)
        {
            throw new UsageException($"--to {ex.Message}");
        }

        var line = $"{result.Outcome} to {result.To} via {result.Transport}{(result.StatusCode is { } code ? $": {code}" : "")}{(result.Detail is { } detail ? $" {detail}" : "")}";
        await (result.Outcome == nameof(SendOutcome.Sent) ? stdout : stderr).WriteLineAsync(line);
        return result.Outcome == nameof(SendOutcome.Sent) ? 0 : 1;
    }
}
