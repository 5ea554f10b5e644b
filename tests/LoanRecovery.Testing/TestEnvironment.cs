namespace LoanRecovery.Testing;

/// <summary>
/// Where the servers started by <c>test.sh</c> are. Every value comes from the environment the script exports,
/// with the script's defaults, so a test run from an IDE against servers started by <c>run.sh</c> works too.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdminConnection =>
        Env("LR_PG_ADMIN_CONNECTION", "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres;Password=postgres-dev");

    public static string PostgresHost => "127.0.0.1";
    public static int PostgresPort => int.Parse(Env("LR_PG_PORT", "55432"));

    public static int RabbitPort => int.Parse(Env("LR_RABBIT_PORT", "55672"));
    public static string RabbitManagementUrl => Env("LR_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:55673");
    public static string RabbitUser => Env("LR_RABBIT_USER", "loanrecovery");
    public static string RabbitPassword => Env("LR_RABBIT_PASSWORD", "loanrecovery-dev");

    /// <summary>The services' broker users and their permissions (<see cref="BrokerUsers"/>).</summary>
    public static string RabbitUsersFile => Env("LR_RABBIT_USERS_CONF", Path.Combine(RepositoryRoot, "deploy", "rabbitmq", "users.conf"));

    /// <summary>
    /// A service user's password, as deploy/rabbitmq/service-users.sh provisions it: <c>LR_RABBIT_&lt;USER&gt;_PASSWORD</c> (upper case,
    /// '-' written '_'), else <c>&lt;user&gt;-dev</c>.
    /// </summary>
    public static string RabbitServicePassword(string user) =>
        Env($"LR_RABBIT_{user.ToUpperInvariant().Replace('-', '_')}_PASSWORD", user + "-dev");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The bearer-token signing key the in-process services are configured with (tests only).</summary>
    public const string SigningKey = "loanrecovery-tests-signing-key-0123456789abcdef";

    public static string ProvisionSqlDirectory => Env("LR_PROVISION_SQL_DIR", Path.Combine(RepositoryRoot, "deploy", "postgres"));

    /// <summary>The public data set beside the project (<c>../shared/data</c>); tests that need it skip when it is absent.</summary>
    public static string SharedDataDirectory => Env("LR_SHARED_DATA", Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared", "data"));

    public static string? SeedFile =>
        Path.Combine(SharedDataDirectory, "loan-recovery.csv") is var path && File.Exists(path) ? path : null;

    public const string SeedFileMissing =
        "../shared/data/loan-recovery.csv is not beside the project (set LR_SHARED_DATA to its folder); the seed file is never copied into the repository.";

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoanRecovery.sln")))
                return dir.FullName;
        throw new InvalidOperationException("LoanRecovery.sln not found above " + AppContext.BaseDirectory);
    }
}
