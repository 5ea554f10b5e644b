using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.ServiceDefaults;

/// <summary>Identity of the running service (section <c>Service</c>).</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    /// <summary>Name used in logs, traces and metrics, e.g. <c>Ingestion</c>.</summary>
    [Required] public string Name { get; set; } = "";
}

/// <summary>Connection to the service's own PostgreSQL schema (section <c>Postgres</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    [Required] public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 55432;
    [Required] public string Database { get; set; } = "loanrecovery";
    /// <summary>The service's own role; it has rights on <see cref="Schema"/> only.</summary>
    [Required] public string Username { get; set; } = "";
    [Required] public string Password { get; set; } = "";
    /// <summary>The schema the service owns; every unqualified name resolves there.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]*$")] public string Schema { get; set; } = "";
    [Range(1, 500)] public int MaxPoolSize { get; set; } = 50;
    /// <summary>
    /// How many statements each pooled connection keeps prepared once they have been run five times (Npgsql's
    /// <c>AutoPrepareMinUsages</c>; 0: none). Every consumed event
    /// runs the same handful of statements; prepared, PostgreSQL no longer parses and plans each one again.
    /// </summary>
    [Range(0, 1000)] public int MaxAutoPrepare { get; set; } = 64;
    /// <summary>How long start-up keeps retrying to reach the database before it gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Connection to RabbitMQ (section <c>RabbitMq</c>).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required] public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 55672;
    [Required] public string VirtualHost { get; set; } = "/";
    [Required] public string Username { get; set; } = "";
    [Required] public string Password { get; set; } = "";
    /// <summary>Prefetch per receive endpoint.</summary>
    [Range(1, 1000)] public int PrefetchCount { get; set; } = 32;
}

/// <summary>Retry, inbox and outbox behaviour (section <c>Messaging</c>).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// Delays between redeliveries of a failing message before it is parked in its <c>_error</c> queue;
    /// <see cref="DefaultRetryIntervals"/> when the configuration lists none. Empty until bound: the configuration binder
    /// appends configured items to an array's initial ones, so initial defaults would be retried before the configured
    /// intervals (<see cref="Messaging.BusSetup"/> fills in the defaults after binding instead).
    /// </summary>
    [MinLength(1)] public TimeSpan[] RetryIntervals { get; set; } = [];

    public static IReadOnlyList<TimeSpan> DefaultRetryIntervals { get; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    /// <summary>
    /// How often a message is tried again while its failure says the database is unavailable (see
    /// <see cref="Persistence.DatabaseUnavailable"/>). Such a message waits for the database instead of being parked: every
    /// message would fail alike during an outage, and parking them all would turn a restart of the database into lost work.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan DatabaseUnavailableRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a message waits for an unavailable database before it is parked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan DatabaseUnavailableWaitLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether this instance publishes the outbox. Off for an instance that should only consume while another one
    /// relays; rows wait in the outbox meanwhile, nothing is lost.
    /// </summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for unsent outbox rows when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows the relay publishes per transaction.</summary>
    [Range(1, 10_000)] public int RelayBatchSize { get; set; } = 500;

    /// <summary>
    /// How long inbox rows (and sent outbox rows) are kept. Must be longer than the longest redelivery span,
    /// or a late duplicate would be processed twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "365.00:00:00")] public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired inbox and outbox rows are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")] public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
