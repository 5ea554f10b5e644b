using LoanRecovery.ServiceDefaults.Security;

namespace LoanRecovery.Cli.Tests;

public sealed class Token_command : IDisposable
{
    private const string Key = "a-local-signing-key-of-more-than-32-characters";
    private readonly string _keyFile = Path.GetTempFileName();

    public Token_command() => File.WriteAllText(_keyFile, Key + "\n");

    public void Dispose() => File.Delete(_keyFile);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Issues_a_token_the_services_accept_with_the_subject_and_roles()
    {
        var (code, output, error) = Run("token", "--role", "collector", "--role", "analyst", "--subject", "officer-7", "--signing-key-file", _keyFile);

        Assert.True(code == 0, error);
        var (identity, failure) = await BearerTokens.Create(Key).ValidateAsync(output.Trim());
        Assert.Null(failure);
        Assert.Equal("officer-7", identity!.Name);
        Assert.Equal(["collector", "analyst"], identity.FindAll(BearerTokens.RoleClaim).Select(c => c.Value));
        var (_, otherKey) = await BearerTokens.Create(Key + "-other").ValidateAsync(output.Trim());
        Assert.NotNull(otherKey);
    }

    [Theory]
    [InlineData("superuser", "Unknown role 'superuser'")]
    [InlineData("collector", "--hours must be above 0")]
    public void Refuses_an_unknown_role_or_a_bad_lifetime_with_a_clear_message(string role, string message)
    {
        var hours = role == "collector" ? "0" : "8";
        var (code, output, error) = Run("token", "--role", role, "--subject", "officer-7", "--hours", hours, "--signing-key-file", _keyFile);

        Assert.Equal(CliApp.BadInput, code);
        Assert.Empty(output);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Refuses_a_missing_key_file()
    {
        var (code, _, error) = Run("token", "--role", "admin", "--subject", "ops", "--signing-key-file", _keyFile + ".missing");
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("does not exist", error);
    }
}
