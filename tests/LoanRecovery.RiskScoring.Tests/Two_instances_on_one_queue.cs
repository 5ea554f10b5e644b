using System.Collections.Concurrent;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;
using MassTransit;

namespace LoanRecovery.RiskScoring.Tests;

/// <summary>
/// Scale-out: two RiskScoring instances on one database and one broker are competing consumers of the same queues. They
/// share the payments between them, and no payment is scored twice, even when it is delivered twice.
/// </summary>
public sealed class Two_instances_on_one_queue : IAsyncLifetime
{
    private const int Loans = 200;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private readonly PaymentsConsumed _first = new(), _second = new();
    private ServiceHost<RiskScoringOptions> _instance1 = null!, _instance2 = null!;
    private TestBus _bus = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _instance1 = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", configureServices: s => s.AddConsumeObserver(_ => _first));
        _instance2 = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", configureServices: s => s.AddConsumeObserver(_ => _second));
        _bus = await TestBus.StartAsync(_vhost);
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync();
        await _instance2.DisposeAsync();
        await _instance1.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Share_the_payments_and_score_each_delinquent_payment_once()
    {
        _instance1.Start();
        _instance2.Start();
        var loans = GeneratedPortfolio.Create(Loans, seed: 5, prefix: "CC");
        foreach (var loan in loans)
            await _bus.PublishAsync(loan.Opened);
        await Eventually.TrueWithinAsync(async () => await _database.ScalarAsync<int>("SELECT count(*) FROM risk.loan_snapshot") == Loans, Wait);

        // Every payment is delinquent, and each is published twice as two messages (core banking sending it again).
        foreach (var loan in loans)
        {
            var opened = loan.Opened;
            var payment = new PaymentRecorded($"{opened.LoanId}-P1", opened.LoanId, opened.BorrowerId, new DateOnly(2026, 10, 1), opened.MonthlyEmi,
                0m, null, 45, 2, opened.MonthlyEmi * 2, opened.OutstandingLoanAmount, DateTimeOffset.UtcNow);
            await _bus.PublishAsync(payment, Guid.NewGuid());
            await _bus.PublishAsync(payment, Guid.NewGuid());
        }
        await Eventually.TrueWithinAsync(() => Task.FromResult(_first.Count + _second.Count >= 2 * Loans), Wait);
        await Eventually.TrueWithinAsync(async () => await _database.ScalarAsync<int>("SELECT count(*) FROM risk.outbox_message WHERE sent_at IS NULL") == 0, Wait);

        Assert.Equal(2 * Loans, _first.Count + _second.Count);
        Assert.True(_first.Count > 0 && _second.Count > 0, $"one instance did all the work: {_first.Count} and {_second.Count}");
        Assert.Equal(Loans, await _database.ScalarAsync<int>("SELECT count(*) FROM risk.score"));
        Assert.Equal(Loans, await _database.ScalarAsync<int>("SELECT count(DISTINCT (loan_id, payment_id)) FROM risk.score"));
        Assert.Equal(Loans, await _database.ScalarAsync<int>(
            "SELECT count(*) FROM risk.outbox_message WHERE message_type LIKE '%RiskScored%'"));
        TestContext.Current.TestOutputHelper?.WriteLine($"instance 1 consumed {_first.Count} payments, instance 2 {_second.Count}");
    }

    /// <summary>Counts the payments one instance consumed successfully.</summary>
    private sealed class PaymentsConsumed : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, bool> _messages = new();
        public int Count => _messages.Count;

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is PaymentRecorded && context.MessageId is { } id)
                _messages.TryAdd(id, true);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
