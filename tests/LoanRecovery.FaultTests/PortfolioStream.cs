using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.Testing;

namespace LoanRecovery.FaultTests;

/// <summary>
/// A simulated portfolio and its monthly instalments, computed up front with the simulator's own model (no collection
/// floor: the borrowers follow the baseline), so that a test can publish it month by month and inject a fault in between.
/// </summary>
public sealed class PortfolioStream
{
    private PortfolioStream(IReadOnlyList<SimLoan> loans, IReadOnlyList<IReadOnlyList<SimPayment>> months)
    {
        Loans = loans;
        Months = months;
    }

    public IReadOnlyList<SimLoan> Loans { get; }
    public IReadOnlyList<IReadOnlyList<SimPayment>> Months { get; }
    public IEnumerable<SimPayment> Payments => Months.SelectMany(m => m);

    public static PortfolioStream Create(int loans, int months, int seed, string idPrefix)
    {
        var config = SimulatorCli.LoadConfig(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Simulator", SimulatorCli.DefaultConfigFile));
        var portfolio = PortfolioGenerator.Generate(config, loans, seed)
            .Select(l => l.WithIdPrefix(idPrefix))
            .ToArray();
        var simulation = new PortfolioSimulation(config, portfolio, seed, months, new AssignedStrategyBook());
        var payments = new List<IReadOnlyList<SimPayment>>();
        for (var month = 0; month < months; month++)
        {
            payments.Add(simulation.Payments(month));
            simulation.AssignStrategies(month);
        }
        return new PortfolioStream(portfolio, payments);
    }

    /// <summary>The loans as core banking publishes them (routing key <c>loan</c>), keyed by loan id.</summary>
    public IEnumerable<CoreBankingMessage> LoanMessages =>
        Loans.Select(l => new CoreBankingMessage(l.LoanId, l.LoanId, CoreBankingPublisher.ToCoreBanking(l)));

    /// <summary>A month's instalments as core banking publishes them (routing key <c>payment</c>), keyed by payment id.</summary>
    public IEnumerable<CoreBankingMessage> PaymentMessages(int month) =>
        Months[month].Select(p => new CoreBankingMessage(p.PaymentId, p.PaymentId, p.ToCoreBanking()));
}

/// <summary>One core banking message: its AMQP message id (the simulator uses the business key), business key and body.</summary>
public sealed record CoreBankingMessage(string MessageId, string Key, object Body);
