using Microsoft.Extensions.DependencyInjection;
using LoanRecovery.Ingestion.Consumers;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.Testing;

namespace LoanRecovery.Simulator.Tests;

/// <summary>The simulator as core banking against a hosted Ingestion on real PostgreSQL and RabbitMQ.</summary>
public sealed class Publishing_a_simulated_month : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _virtualHost = null!;
    private ServiceHost<Program> _ingestion = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _virtualHost = await ThrowawayVirtualHost.CreateAsync();
        _ingestion = new ServiceHost<Program>(_database, _virtualHost, "ingestion");
        _http = _ingestion.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _ingestion.DisposeAsync();
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Every_payment_published_as_plain_JSON_is_recorded_once()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 60, 8);
        var simulation = new PortfolioSimulation(config, loans, 8, 2, new BaselinePolicy(config.Baseline));
        var rabbit = new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, _virtualHost.Name, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword);
        var ingestion = new IngestionClient(_http);
        await using var publisher = await CoreBankingPublisher.ConnectAsync(rabbit, CancellationToken.None);

        Assert.Equal(60, await publisher.PublishLoansAsync(loans, CancellationToken.None));
        Assert.Equal(60, await ingestion.WaitForAsync(loans.Select(l => (l.LoanId, (string?)null)).ToArray(), TimeSpan.FromSeconds(60), CancellationToken.None));

        var published = 0;
        for (var month = 0; month < 2; month++)
        {
            var payments = simulation.Payments(month);
            published += await publisher.PublishPaymentsAsync(payments, CancellationToken.None);
            await ingestion.WaitForAsync(payments.Select(p => (p.LoanId, (string?)p.PaymentId)).ToArray(), TimeSpan.FromSeconds(60), CancellationToken.None);
            simulation.AssignStrategies(month);
        }

        Assert.True(published >= 100);
        Assert.Equal(published, await _database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment WHERE loan_id LIKE 'SIM_LN_%'"));
        // The simulated dates travel in the payload: the first instalments fell due in the simulation's first month.
        var start = config.Portfolio.StartDate;
        var firstDue = DateOnly.Parse(await _database.ScalarAsync<string>("SELECT min(due_date)::text FROM ingestion.payment"));
        Assert.Equal((start.Year, start.Month), (firstDue.Year, firstDue.Month));
        var partitions = _ingestion.Services.GetRequiredService<PaymentPartitions>();
        foreach (var queue in partitions.QueueNames.Prepend("ingestion-core-banking-payment"))
            Assert.True((await _virtualHost.QueueDepthAsync(queue + "_error") ?? 0) == 0, $"payments were parked in {queue}_error");
    }
}
