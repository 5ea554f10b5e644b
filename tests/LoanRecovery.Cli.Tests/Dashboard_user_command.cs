using System.Text.Json;
using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Cli.Tests;

public sealed class Dashboard_user_command
{
    private const string Password = "correct horse battery staple";

    private static (int Code, string Output, string Error) Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error, new StringReader(input));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Prints_a_json_entry_whose_hash_verifies_the_password_from_standard_input()
    {
        var (code, output, error) = Run(Password + "\n", "dashboard-user", "--username", "ada.okafor", "--role", "officer", "--display-name", "Ada Okafor");

        Assert.True(code == 0, error);
        var entry = JsonDocument.Parse(output).RootElement;
        Assert.Equal("ada.okafor", entry.GetProperty("Username").GetString());
        Assert.Equal("Ada Okafor", entry.GetProperty("DisplayName").GetString());
        Assert.Equal("Officer", entry.GetProperty("Role").GetString());
        var hash = entry.GetProperty("PasswordHash").GetString()!;
        Assert.Null(PasswordHashes.Problem(hash));
        Assert.True(PasswordHashes.Verify(hash, Password));
        Assert.False(PasswordHashes.Verify(hash, Password + "!"));
        Assert.DoesNotContain(Password, output);
    }

    [Fact]
    public void Prints_the_environment_variables_of_the_entry_it_is_given()
    {
        var (code, output, error) = Run(Password + "\r\n", "dashboard-user", "--username", "analyst", "--role", "Analyst", "--env", "1");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n').Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["Dashboard__Users__1__Username", "Dashboard__Users__1__DisplayName", "Dashboard__Users__1__Role", "Dashboard__Users__1__PasswordHash"], lines.Keys);
        Assert.Equal("analyst", lines["Dashboard__Users__1__DisplayName"]);
        Assert.Equal("Analyst", lines["Dashboard__Users__1__Role"]);
        Assert.True(PasswordHashes.Verify(lines["Dashboard__Users__1__PasswordHash"], Password));
    }

    [Theory]
    [InlineData("has space", "Officer", Password, "--username may hold only letters")]
    [InlineData("ada", "Boss", Password, "--role must be one of Officer, Analyst, Executive (was 'Boss')")]
    [InlineData("ada", "Officer", "too short", "The password must be at least 12 characters (it had 9)")]
    [InlineData("ada", "Officer", null, "No password on standard input")]
    public void Refuses_bad_input_with_the_reason_and_prints_no_entry(string username, string role, string? password, string message)
    {
        var (code, output, error) = Run(password is null ? "" : password + "\n", "dashboard-user", "--username", username, "--role", role);

        Assert.Equal(CliApp.BadInput, code);
        Assert.Empty(output);
        Assert.Contains(message, error);
    }
}
