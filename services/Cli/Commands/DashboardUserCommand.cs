using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Cli.Commands;

/// <summary>
/// <c>loanrecovery dashboard-user --username U --role R [--display-name D] [--env N]</c>: hashes a dashboard user's password
/// (read from standard input, never from the command line, where other users of the machine could see it) and prints the
/// configuration entry for <c>Dashboard:Users</c>: one JSON object for appsettings.json, or with <c>--env N</c> the
/// environment variables of entry N (what <c>./run.sh</c> exports for its development users).
/// </summary>
public static class DashboardUserCommand
{
    public static Command Create(TextWriter output, TextReader input, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The sign-in name (letters, digits and . _ @ -).", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Enum.GetNames<DashboardRole>())}.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "The name shown on the page (default: the username)." };
        var env = new Option<int?>("--env") { Description = "Print the environment variables of entry N of Dashboard:Users instead of JSON." };
        var cmd = new Command("dashboard-user",
            "Hash a dashboard user's password (read from standard input) and print their Dashboard:Users entry.") { username, role, displayName, env };
        cmd.SetAction(p =>
        {
            var name = p.GetValue(username)!.Trim();
            if (DashboardAccounts.UsernameProblem(name) is { } usernameProblem)
                throw new CliException($"--username {usernameProblem}.");
            var parsedRole = Enum.GetNames<DashboardRole>().FirstOrDefault(r => string.Equals(r, p.GetValue(role)?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException($"--role must be one of {string.Join(", ", Enum.GetNames<DashboardRole>())} (was '{p.GetValue(role)}').");
            var shown = p.GetValue(displayName)?.Trim();
            if (DashboardAccounts.DisplayNameProblem(shown) is { } displayNameProblem)
                throw new CliException($"--display-name {displayNameProblem}.");
            if (p.GetValue(env) is < 0)
                throw new CliException("--env must be 0 or more (the entry's index in Dashboard:Users).");

            var password = PasswordInput.Read(input, error);
            if (password.Length < DashboardAccounts.MinPasswordLength)
                throw new CliException($"The password must be at least {DashboardAccounts.MinPasswordLength} characters (it had {password.Length}).");
            var entry = new Entry(name, string.IsNullOrEmpty(shown) ? name : shown, parsedRole, PasswordHashes.Hash(password));
            output.WriteLine(p.GetValue(env) is { } index ? entry.EnvironmentLines(index) : entry.Json());
            return 0;
        });
        return cmd;
    }

    private sealed record Entry(string Username, string DisplayName, string Role, string PasswordHash)
    {
        // For a configuration file, not a web page: keep '+' and '/' of the base64 hash as they are.
        private static readonly JsonSerializerOptions ConfigJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public string Json() => JsonSerializer.Serialize(this, ConfigJson);

        public string EnvironmentLines(int index)
        {
            var prefix = $"Dashboard__Users__{index}__";
            return string.Join('\n', $"{prefix}Username={Username}", $"{prefix}DisplayName={DisplayName}", $"{prefix}Role={Role}",
                $"{prefix}PasswordHash={PasswordHash}");
        }
    }
}

/// <summary>
/// A password from standard input: the first line when input is piped or redirected, else typed at a prompt without being
/// shown, twice.
/// </summary>
internal static class PasswordInput
{
    public static string Read(TextReader input, TextWriter prompt)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
            return input.ReadLine()?.TrimEnd('\r') ?? throw new CliException("No password on standard input (pipe it in, one line).");
        var first = ReadHidden(prompt, "Password: ");
        if (ReadHidden(prompt, "Password again: ") != first)
            throw new CliException("The two passwords differ.");
        return first;
    }

    private static string ReadHidden(TextWriter prompt, string label)
    {
        prompt.Write(label);
        var typed = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return typed.ToString();
    }
}
