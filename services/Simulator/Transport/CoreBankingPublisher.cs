using System.Diagnostics;
using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Domain;
using RabbitMQ.Client;

namespace LoanRecovery.Simulator.Transport;

/// <summary>
/// Publishes as a core banking system does: plain camelCase JSON, persistent, to the durable topic exchange
/// <c>core-banking</c> with routing key <c>loan</c>, or <c>payment.&lt;loanId&gt;</c> for a payment (Ingestion spreads
/// payments over its partitions by that key, one loan to one partition), with publisher confirms. No MassTransit.
/// </summary>
public sealed class CoreBankingPublisher : IAsyncDisposable
{
    public const string Exchange = "core-banking";
    private const int Batch = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private CoreBankingPublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<CoreBankingPublisher> ConnectAsync(RabbitSettings settings, CancellationToken cancellationToken)
    {
        var connection = await settings.Factory().CreateConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        return new CoreBankingPublisher(connection, channel);
    }

    public static CoreBankingLoan ToCoreBanking(SimLoan loan) => new()
    {
        LoanId = loan.LoanId, BorrowerId = loan.BorrowerId, Age = loan.Age, Gender = loan.Gender, EmploymentType = loan.EmploymentType,
        MonthlyIncome = loan.MonthlyIncome, NumDependents = loan.NumDependents, LoanAmount = loan.LoanAmount,
        LoanTenureMonths = loan.LoanTenureMonths, InterestRate = loan.InterestRate, LoanType = loan.LoanType,
        CollateralValue = loan.CollateralValue, OutstandingLoanAmount = loan.OutstandingAtStart, MonthlyEmi = loan.MonthlyEmi,
        OpenedOn = loan.OpenedOn,
    };

    public Task<int> PublishLoansAsync(IEnumerable<SimLoan> loans, CancellationToken cancellationToken) =>
        PublishAsync("loan", loans.Select(l => (l.LoanId, (object)ToCoreBanking(l))), cancellationToken);

    /// <summary>Publishes payments; <paramref name="latency"/>, when given, is told when each loan's payment went out.</summary>
    public Task<int> PublishPaymentsAsync(IEnumerable<SimPayment> payments, CancellationToken cancellationToken,
        PaymentToStrategyLatency? latency = null) =>
        PublishAsync("payment", payments.Select(p =>
        {
            latency?.PaymentPublished(p.LoanId, Stopwatch.GetTimestamp());
            return (p.PaymentId, (object)p.ToCoreBanking());
        }), cancellationToken);

    /// <summary>Publishes in confirmed batches; returns how many the broker confirmed.</summary>
    public async Task<int> PublishAsync(string routingKey, IEnumerable<(string Id, object Body)> messages, CancellationToken cancellationToken)
    {
        var confirmed = 0;
        var pending = new List<Task>(Batch);
        foreach (var (id, body) in messages)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = id,
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json);
            pending.Add(_channel.BasicPublishAsync(Exchange, RoutingKeyOf(routingKey, body), mandatory: false, properties, bytes, cancellationToken).AsTask());
            if (pending.Count == Batch)
            {
                await Task.WhenAll(pending);
                confirmed += pending.Count;
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        return confirmed + pending.Count;
    }

    /// <summary>A payment's routing key ends with its loan id (<c>payment.LN_1</c>); anything else keeps the key given.</summary>
    public static string RoutingKeyOf(string routingKey, object body) =>
        body is CoreBankingPayment { LoanId: { Length: > 0 } loanId } ? $"{routingKey}.{loanId}" : routingKey;

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
