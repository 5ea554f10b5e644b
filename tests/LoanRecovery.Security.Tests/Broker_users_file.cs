using System.Diagnostics;
using LoanRecovery.Testing;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// deploy/rabbitmq/users.conf is read by the shell (servers.sh and the docker-compose broker, through service-users.sh) and by
/// the tests: both must read the same users and expressions, and a malformed file must be refused with the line at fault.
/// </summary>
public sealed class Broker_users_file
{
    [Fact]
    public async Task The_shell_provisioning_and_the_tests_read_the_same_users_and_permissions()
    {
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "rabbitmq", "service-users.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("source \"$0\" && _lr_rabbit_users_parse");
        start.ArgumentList.Add(script);
        start.Environment["LR_RABBIT_USERS_CONF"] = TestEnvironment.RabbitUsersFile;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"service-users.sh could not read {TestEnvironment.RabbitUsersFile}: {error}");

        var fromShell = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new BrokerUser(f[0], f[1], f[2], f[3]))
            .ToList();
        Assert.Equal(BrokerUsers.All, fromShell);
        Assert.Equal(BrokerPrograms.All.Select(p => p.User).Order(StringComparer.Ordinal), BrokerUsers.All.Select(u => u.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[a]\nconfigure = ^a-.*$\nwrite = ^a-.*$\n", "line 1: user [a] has no read")]
    [InlineData("configure = ^a-.*$\n", "line 1: configure before any [user]")]
    [InlineData("# users\n[a]\nconfigure = a-.*\n", "line 3: expected [user], or configure/write/read = ^regular expression$, got: configure = a-.*")]
    [InlineData("[A user]\n", "line 1: expected [user]")]
    public void A_malformed_file_is_refused_naming_the_line(string text, string expected)
    {
        var refused = Assert.Throws<FormatException>(() => BrokerUsers.Parse(text.Split('\n'), "users.conf"));
        Assert.Contains("users.conf " + expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_file_gives_each_user_its_three_expressions()
    {
        var users = BrokerUsers.Parse(["# comment", "", "[a-b]", "configure = ^a-.*$", "write = ^(a-.*|x)$", "read = ^a-.*$", "[c]",
            "read = ^c$", "write = ^c$", "configure = ^c$"], "users.conf");
        Assert.Equal([new BrokerUser("a-b", "^a-.*$", "^(a-.*|x)$", "^a-.*$"), new BrokerUser("c", "^c$", "^c$", "^c$")], users);
    }
}
