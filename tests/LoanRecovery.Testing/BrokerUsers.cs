using System.Text.RegularExpressions;

namespace LoanRecovery.Testing;

/// <summary>
/// A program's own RabbitMQ user and its permissions on a virtual host (RabbitMQ's configure, write and read expressions),
/// as written in <c>deploy/rabbitmq/users.conf</c>.
/// </summary>
public sealed record BrokerUser(string Name, string Configure, string Write, string Read)
{
    /// <summary>The password the servers were provisioned with: <c>LR_RABBIT_&lt;USER&gt;_PASSWORD</c>, else <c>&lt;user&gt;-dev</c>.</summary>
    public string Password => TestEnvironment.RabbitServicePassword(Name);
}

/// <summary>
/// Reads <c>deploy/rabbitmq/users.conf</c>, the one place the services' broker users and permissions are written (the same file
/// <c>deploy/rabbitmq/service-users.sh</c> gives <c>rabbitmqctl</c>), so that tests apply exactly what the servers are given.
/// </summary>
public static partial class BrokerUsers
{
    private static readonly Lazy<IReadOnlyList<BrokerUser>> Provisioned = new(() => Parse(File.ReadAllLines(TestEnvironment.RabbitUsersFile), TestEnvironment.RabbitUsersFile));

    /// <summary>Every user of the file, in its order.</summary>
    public static IReadOnlyList<BrokerUser> All => Provisioned.Value;

    public static BrokerUser Named(string name) =>
        All.FirstOrDefault(u => u.Name == name) ?? throw new ArgumentException($"{TestEnvironment.RabbitUsersFile} has no user [{name}]", nameof(name));

    /// <summary>Parses the file's lines; a line it cannot read, or a user without one of the three expressions, is an error naming the line.</summary>
    public static IReadOnlyList<BrokerUser> Parse(IReadOnlyList<string> lines, string source)
    {
        var users = new List<BrokerUser>();
        string? name = null;
        var sectionLine = 0;
        var expressions = new Dictionary<string, string>();

        void Flush()
        {
            if (name is null)
                return;
            var missing = new[] { "configure", "write", "read" }.Where(k => !expressions.ContainsKey(k)).ToArray();
            if (missing.Length > 0)
                throw new FormatException($"{source} line {sectionLine}: user [{name}] has no {string.Join(' ', missing)}");
            users.Add(new BrokerUser(name, expressions["configure"], expressions["write"], expressions["read"]));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (Blank().IsMatch(line))
                continue;
            if (Section().Match(line) is { Success: true } section)
            {
                Flush();
                name = section.Groups[1].Value;
                sectionLine = i + 1;
                expressions.Clear();
            }
            else if (Expression().Match(line) is { Success: true } expression)
            {
                if (name is null)
                    throw new FormatException($"{source} line {i + 1}: {expression.Groups[1].Value} before any [user]");
                expressions[expression.Groups[1].Value] = expression.Groups[2].Value;
            }
            else
            {
                throw new FormatException($"{source} line {i + 1}: expected [user], or configure/write/read = ^regular expression$, got: {line}");
            }
        }
        Flush();
        return users;
    }

    // The same grammar as deploy/rabbitmq/service-users.sh.
    [GeneratedRegex(@"^\s*(#.*)?$")]
    private static partial Regex Blank();

    [GeneratedRegex(@"^\[([a-z][a-z0-9-]*)\]$")]
    private static partial Regex Section();

    [GeneratedRegex(@"^(configure|write|read)\s*=\s*(\^.*\$)$")]
    private static partial Regex Expression();
}
