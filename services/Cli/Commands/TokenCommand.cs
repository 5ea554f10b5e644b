using System.CommandLine;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Cli.Commands;

/// <summary>
/// <c>loanrecovery token --role R --subject S</c>: a development bearer token for the services' APIs, signed with the local
/// key the services are configured with (<c>Auth__SigningKey</c>, or <c>--signing-key-file</c>). Prints only the token.
/// </summary>
public static class TokenCommand
{
    public static Command Create(TextWriter output)
    {
        var roles = new Option<string[]>("--role")
        {
            Description = $"Role to grant (repeatable): {string.Join(", ", ServiceRoles.All)}.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var subject = new Option<string>("--subject") { Description = "Who the token speaks for (an officer id, a system name).", Required = true };
        var hours = new Option<double>("--hours") { Description = "Lifetime in hours.", DefaultValueFactory = _ => 8 };
        var keyFile = new Option<string?>("--signing-key-file") { Description = "File holding the signing key (default: the Auth__SigningKey environment variable)." };
        var cmd = new Command("token", "Issue a development bearer token for the services' APIs.") { roles, subject, hours, keyFile };
        cmd.SetAction(p =>
        {
            var key = SigningKey(p.GetValue(keyFile));
            var lifetime = p.GetValue(hours);
            if (lifetime is <= 0 or > 24 * 30)
                throw new CliException($"--hours must be above 0 and at most 720 (was {lifetime}).");
            var granted = p.GetValue(roles) ?? [];
            if (granted.Except(ServiceRoles.All).ToArray() is { Length: > 0 } unknown)
                throw new CliException($"Unknown role '{string.Join("', '", unknown)}'; roles are {string.Join(", ", ServiceRoles.All)}.");
            var name = p.GetValue(subject)!;
            if (string.IsNullOrWhiteSpace(name))
                throw new CliException("--subject must not be empty.");
            output.WriteLine(BearerTokens.Create(key).Issue(name.Trim(), granted, TimeSpan.FromHours(lifetime)));
            return 0;
        });
        return cmd;
    }

    private static string SigningKey(string? file)
    {
        var key = file is null ? Environment.GetEnvironmentVariable("Auth__SigningKey")
            : File.Exists(file) ? File.ReadAllText(file).Trim()
            : throw new CliException($"--signing-key-file {file} does not exist.");
        if (string.IsNullOrEmpty(key))
            throw new CliException("No signing key: set Auth__SigningKey or give --signing-key-file (./run.sh keeps one in .data/auth/signing-key).");
        if (key.Length < 32)
            throw new CliException("The signing key must be at least 32 characters.");
        return key;
    }
}
