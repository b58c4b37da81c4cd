using AnnualCycle.Cli;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Cli;

/// <summary><c>send-test-email</c> against a real SMTP server that refuses "reject…" recipients.</summary>
public sealed class SendTestEmailVerbTests
{
    [Fact]
    public async Task SendTestEmail_Exits0AndTheMessageArrives_Exits1WhenRefused_Exits2WithoutAnAddress()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        var smtp = new[] { "--Email:Smtp:Host", server.Host, "--Email:Smtp:Port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--DataFolder", Directory.CreateTempSubdirectory("annualcycle-cli-").FullName };

        var (sentCode, sentOut, _) = await Run(["send-test-email", "--to", "it@region-test.se", .. smtp]);
        var (refusedCode, _, refusedErr) = await Run(["send-test-email", "--to", "reject-it@region-test.se", .. smtp]);
        var (missingCode, _, missingErr) = await Run(["send-test-email", .. smtp]);

        Assert.Equal(0, sentCode);
        Assert.StartsWith("Sent to it@region-test.se via smtp 127.0.0.1:", sentOut, StringComparison.Ordinal);
        Assert.Equal("it@region-test.se", Assert.Single(server.WaitForMessages(1)).To.Mailboxes.Single().Address);
        Assert.Equal(1, refusedCode);
        Assert.Contains("PermanentFailure", refusedErr, StringComparison.Ordinal);
        Assert.Contains("550", refusedErr, StringComparison.Ordinal);
        Assert.Equal(2, missingCode);
        Assert.Contains("--to", missingErr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
