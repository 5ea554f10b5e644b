namespace LoanRecovery.Security.Tests;

/// <summary>
/// What each program that connects to the broker is expected to do, from the architecture (README's service table, each
/// service's consumer registrations and publishes): the queues it owns (by name prefix), the exchanges it publishes to and
/// the event exchanges it consumes. The broker users' permissions (deploy/rabbitmq/users.conf) are checked against this,
/// so a permission that grants more or less than the architecture needs is found.
/// </summary>
public sealed record BrokerProgram(string User, string ConnectionName, string QueuePrefix, string[] Publishes, string[] Consumes)
{
    public override string ToString() => User;
}

public static class BrokerPrograms
{
    public const string CoreBanking = "core-banking";

    public static string Event(string name) => "LoanRecovery.Contracts:" + name;

    public static readonly BrokerProgram Ingestion = new("ingestion", "Ingestion", "ingestion-",
        Publishes: [Event("LoanOpened"), Event("PaymentRecorded"), Event("RecoveryOutcomeRecorded")],
        Consumes: [CoreBanking]);

    public static readonly BrokerProgram Segmentation = new("segmentation", "Segmentation", "segmentation-",
        Publishes: [Event("BorrowerSegmented")],
        Consumes: [Event("LoanOpened"), Event("PaymentRecorded"), Event("RecoveryOutcomeRecorded")]);

    public static readonly BrokerProgram RiskScoring = new("risk-scoring", "RiskScoring", "risk-scoring-",
        Publishes: [Event("RiskScored"), Event("ModelPromoted")],
        Consumes: [Event("LoanOpened"), Event("PaymentRecorded"), Event("BorrowerSegmented"), Event("RecoveryOutcomeRecorded")]);

    public static readonly BrokerProgram StrategyAssignment = new("strategy-assignment", "StrategyAssignment", "strategy-assignment-",
        Publishes: [Event("StrategyAssigned"), Event("CollectionTaskCompleted")],
        Consumes: [Event("RiskScored"), Event("PaymentRecorded"), Event("PolicyProposed")]);

    public static readonly BrokerProgram PerformanceTracking = new("performance-tracking", "PerformanceTracking", "performance-tracking-",
        Publishes: [Event("RecoveryOutcomeRecorded"), Event("PolicyProposed")],
        Consumes: [Event("RiskScored"), Event("StrategyAssigned"), Event("PaymentRecorded"), Event("CollectionTaskCompleted")]);

    /// <summary>Core banking and the collection floor (<c>loanrecovery-simulator run</c>).</summary>
    public static readonly BrokerProgram Simulator = new("simulator", "loanrecovery-simulator", "loanrecovery-simulator-",
        Publishes: [CoreBanking],
        Consumes: [Event("StrategyAssigned")]);

    public static readonly BrokerProgram[] Services = [Ingestion, Segmentation, RiskScoring, StrategyAssignment, PerformanceTracking];

    public static readonly BrokerProgram[] All = [.. Services, Simulator];

    /// <summary>Every exchange a program publishes business messages to: each event's, and core banking's.</summary>
    public static readonly string[] MessageExchanges = All.SelectMany(p => p.Publishes).Distinct().Order(StringComparer.Ordinal).ToArray();

    public static BrokerProgram Named(string user) => All.Single(p => p.User == user);

    /// <summary>The program whose queue this is, by the queue's name; null when no program's prefix matches.</summary>
    public static BrokerProgram? OwnerOfQueue(string queue) => All.SingleOrDefault(p => queue.StartsWith(p.QueuePrefix, StringComparison.Ordinal));
}
