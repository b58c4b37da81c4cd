using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.People;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>grant-system-admin --email a</c>, <c>revoke-system-admin --email a</c>, <c>list-system-admins</c>: the system
/// administrator spans every organisation (all users, all email, the Hangfire dashboard), so it is made only here, by
/// whoever runs the server with its configuration, never through the API or the UI. The user must exist. Exit 0 when
/// done (or already so), 1 when no user has the email or the database does not answer, 2 for a usage error.
/// </summary>
public static class SystemAdminVerb
{
    public static async Task<int> RunAsync(string verb, IReadOnlyList<KeyValuePair<string, string?>> switches, IConfiguration configuration, TextWriter stdout, TextWriter stderr)
    {
        var email = switches.LastOrDefault(s => string.Equals(s.Key, "email", StringComparison.OrdinalIgnoreCase)).Value;
        if (verb != "list-system-admins" && string.IsNullOrWhiteSpace(email))
        {
            throw new UsageException($"{verb} needs --email <address> of an existing user.");
        }

        await using var provider = CliHost.Build(configuration);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        if (!await db.Database.CanConnectAsync())
        {
            await stderr.WriteLineAsync("The database configured for the service does not answer; check Database:Provider and its connection string.");
            return 1;
        }

        try
        {
            switch (verb)
            {
                case "list-system-admins":
                    foreach (var address in await SystemAdministrators.ListAsync(db))
                    {
                        await stdout.WriteLineAsync(address);
                    }

                    return 0;
                case "grant-system-admin":
                    var granted = await SystemAdministrators.GrantAsync(db, clock, email);
                    await stdout.WriteLineAsync(granted == SystemAdministratorChange.Granted
                        ? $"{email!.Trim()} is now a system administrator of every organisation."
                        : $"{email!.Trim()} already is a system administrator.");
                    return 0;
                default:
                    var revoked = await SystemAdministrators.RevokeAsync(db, clock, email);
                    await stdout.WriteLineAsync(revoked == SystemAdministratorChange.Revoked
                        ? $"{email!.Trim()} is no longer a system administrator."
                        : $"{email!.Trim()} was not a system administrator.");
                    return 0;
            }
        }
        catch (InputException ex)
        {
            throw new UsageException($"--email {ex.Problem}");
        }
        catch (NotFoundException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
