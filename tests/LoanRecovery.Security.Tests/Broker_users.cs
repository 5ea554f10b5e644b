using LoanRecovery.Contracts;
using LoanRecovery.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace LoanRecovery.Security.Tests;

/// <summary>
/// Each program's RabbitMQ user (deploy/rabbitmq/users.conf, provisioned by deploy/local/servers.sh) may use only its own
/// queues and the exchanges of the messages it publishes or consumes: the services, each connected as its own user, carry a
/// payment through the whole pipeline and park what they cannot read, and every user is refused another program's queues,
/// the exchanges of messages it does not publish, and the events it does not consume.
/// </summary>
public sealed class Broker_users(ServicesAsBrokerUsers system) : IClassFixture<ServicesAsBrokerUsers>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const ushort AccessRefused = 403;

    [Fact]
    public async Task Each_service_connected_as_its_own_user_carries_a_payment_from_core_banking_to_PerformanceTracking()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        const string loanId = "BRK_LN_1";
        // Core banking is the simulator, as its own user.
        await system.CoreBanking.PublishAsync("loan", [(loanId, new CoreBankingLoan
        {
            LoanId = loanId, BorrowerId = "BRK_BRW_1", Age = 38, Gender = "Male", EmploymentType = "Salaried", MonthlyIncome = 48000m,
            NumDependents = 1, LoanAmount = 500000m, LoanTenureMonths = 36, InterestRate = 12m, LoanType = "Personal",
            CollateralValue = 0m, OutstandingLoanAmount = 450000m, MonthlyEmi = 16600m, OpenedOn = today.AddMonths(-8),
        })], TestContext.Current.CancellationToken);
        Assert.True(await Eventually.TrueWithinAsync(async () => (await system.Ingestion.GetAsync($"/api/loans/{loanId}")).IsSuccessStatusCode, Wait),
            "Ingestion did not record the loan");

        // Nothing paid of an instalment due 40 days ago: delinquent, so it is scored and a strategy is assigned.
        await system.CoreBanking.PublishAsync("payment", [("BRK_PAY_1", new CoreBankingPayment
        {
            PaymentId = "BRK_PAY_1", LoanId = loanId, DueDate = today.AddDays(-40), AmountDue = 16600m, AmountPaid = 0m,
        })], TestContext.Current.CancellationToken);

        // Each hop: PaymentRecorded (Ingestion) -> RiskScored (RiskScoring) -> StrategyAssigned (StrategyAssignment), heard by
        // the collection floor and recorded as an episode by PerformanceTracking; Segmentation keeps the loan's position.
        Assert.True(await Eventually.TrueWithinAsync(async () => await CountAsync("performance.episode", loanId) > 0, Wait),
            $"PerformanceTracking recorded no episode for {loanId}; {await StagesAsync(loanId)}");
        Assert.True(await Eventually.TrueWithinAsync(() => Task.FromResult(system.HeardByTheFloor.StrategyOf(loanId) is not null), Wait),
            "the simulator's collection floor did not hear the StrategyAssigned");
        Assert.True(await Eventually.TrueWithinAsync(async () => await CountAsync("segmentation.loan_position", loanId) > 0, Wait),
            "Segmentation did not record the loan's position");
        Assert.Equal(1, await CountAsync("ingestion.payment", loanId));
        Assert.Equal(1, await CountAsync("risk.score", loanId));
        Assert.Equal(1, await CountAsync("strategy.assignment", loanId));
        Assert.Equal(1, await CountAsync("performance.episode", loanId));

        // And every connection was made as its program's own user, never as the administrator.
        var connections = await system.Live.ConnectionsAsync();
        Assert.All(BrokerPrograms.All, program =>
        {
            var own = connections.Where(c => c.Name == program.ConnectionName).ToList();
            Assert.NotEmpty(own);
            Assert.All(own, c => Assert.Equal(program.User, c.User));
        });
    }

    [Fact]
    public async Task A_message_a_service_cannot_read_is_parked_in_its_own_error_queue_and_its_fault_published()
    {
        await using var probe = await RabbitProbe.ConnectAsync(system.Live.Name);
        var receiveFaults = await probe.ListenToExchangeAsync("MassTransit:ReceiveFault");
        var paymentFaults = await probe.ListenToExchangeAsync("MassTransit:Fault--LoanRecovery.Contracts:CoreBankingPayment--");
        // One queue of each service gets a body that is not JSON: each parks it in its own _error queue and publishes a ReceiveFault.
        var queues = await system.Live.QueueNamesAsync();
        var unreadable = BrokerPrograms.Services
            .Select(service => queues.Where(q => q.StartsWith(service.QueuePrefix, StringComparison.Ordinal) && !q.Contains('_')).Order(StringComparer.Ordinal).First())
            .ToList();
        foreach (var queue in unreadable)
            await probe.SendToQueueAsync(queue, "this is not JSON", queue.StartsWith("ingestion-", StringComparison.Ordinal) ? "application/json" : "application/vnd.masstransit+json");
        // And a payment of a loan nobody knows: Ingestion retries it, parks it and publishes Fault<CoreBankingPayment>.
        await system.CoreBanking.PublishAsync("payment", [("BRK_PAY_UNKNOWN", new CoreBankingPayment
        {
            PaymentId = "BRK_PAY_UNKNOWN", LoanId = "BRK_LN_UNKNOWN", DueDate = DateOnly.FromDateTime(DateTime.UtcNow), AmountDue = 100m, AmountPaid = 100m,
        })], TestContext.Current.CancellationToken);

        await receiveFaults.WaitForAsync(unreadable.Count, Wait);
        var fault = Assert.Single(await paymentFaults.WaitForAsync(1, Wait));
        Assert.Equal("BRK_PAY_UNKNOWN", fault.GetProperty("message").GetProperty("paymentId").GetString());
        foreach (var queue in unreadable)
            Assert.True(await Eventually.TrueWithinAsync(async () => await system.Live.QueueDepthAsync(queue + "_error") >= 1, Wait),
                $"{queue}_error did not receive the unreadable message");
    }

    [Fact]
    public async Task Every_queue_and_message_exchange_the_running_system_declared_belongs_to_a_known_program()
    {
        var queues = await system.Live.QueueNamesAsync();
        Assert.All(queues, queue => Assert.NotNull(BrokerPrograms.OwnerOfQueue(queue)));
        Assert.All(BrokerPrograms.All, program => Assert.Contains(queues, q => q.StartsWith(program.QueuePrefix, StringComparison.Ordinal)));
        var eventExchanges = (await system.Live.ExchangesAsync()).Select(e => e.Name).Where(n => n.StartsWith(BrokerPrograms.Event(""), StringComparison.Ordinal));
        Assert.All(eventExchanges, exchange => Assert.Contains(exchange, BrokerPrograms.MessageExchanges));
    }

    public static TheoryData<string> Users() => new(BrokerPrograms.All.Select(p => p.User));

    /// <summary>The control of the refusals below: what a user is for, it may do, on the same broker and virtual host.</summary>
    [Theory]
    [MemberData(nameof(Users))]
    public async Task A_user_may_consume_its_own_queues_publish_its_own_messages_and_bind_to_what_it_consumes(string user)
    {
        var program = BrokerPrograms.Named(user);
        await using var connection = await ConnectToMirrorAsync(user);
        var own = await QueuesOfAsync(program);
        foreach (var queue in own)
            Assert.Null(await RefusalAsync(connection, async channel =>
            {
                var tag = await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumerStub(channel));
                await channel.BasicCancelAsync(tag);
            }));
        foreach (var exchange in program.Publishes)
            Assert.Null(await RefusalAsync(connection, channel => PublishAsync(channel, exchange)));
        foreach (var exchange in program.Consumes)
            Assert.Null(await RefusalAsync(connection, channel => channel.QueueBindAsync(own[0], exchange, "#")));
    }

    public static TheoryData<string, string> UserAndOtherProgram()
    {
        var data = new TheoryData<string, string>();
        foreach (var program in BrokerPrograms.All)
            foreach (var other in BrokerPrograms.All.Where(o => o != program))
                data.Add(program.User, other.User);
        return data;
    }

    [Theory]
    [MemberData(nameof(UserAndOtherProgram))]
    public async Task A_user_is_refused_consuming_or_deleting_another_programs_queues(string user, string other)
    {
        await using var connection = await ConnectToMirrorAsync(user);
        foreach (var queue in await QueuesOfAsync(BrokerPrograms.Named(other)))
        {
            AssertRefused(await RefusalAsync(connection, channel => channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumerStub(channel))),
                $"{user} consuming {queue}");
            AssertRefused(await RefusalAsync(connection, channel => channel.BasicGetAsync(queue, autoAck: true)), $"{user} getting from {queue}");
            AssertRefused(await RefusalAsync(connection, channel => channel.QueueDeleteAsync(queue)), $"{user} deleting {queue}");
            Assert.True(await system.Mirror.QueueExistsAsync(queue), $"{queue} is gone");
        }
    }

    public static TheoryData<string, string> UserAndExchangeItDoesNotPublish()
    {
        var data = new TheoryData<string, string>();
        foreach (var program in BrokerPrograms.All)
            foreach (var exchange in BrokerPrograms.MessageExchanges.Except(program.Publishes))
                data.Add(program.User, exchange);
        return data;
    }

    [Theory]
    [MemberData(nameof(UserAndExchangeItDoesNotPublish))]
    public async Task A_user_is_refused_publishing_to_the_exchange_of_a_message_it_does_not_publish(string user, string exchange)
    {
        await using var connection = await ConnectToMirrorAsync(user);
        AssertRefused(await RefusalAsync(connection, channel => PublishAsync(channel, exchange)), $"{user} publishing to {exchange}");
    }

    public static TheoryData<string, string> UserAndExchangeItDoesNotConsume()
    {
        var data = new TheoryData<string, string>();
        foreach (var program in BrokerPrograms.All)
            foreach (var exchange in BrokerPrograms.MessageExchanges.Except(program.Consumes))
                data.Add(program.User, exchange);
        return data;
    }

    /// <summary>Binding its own queue to an exchange would let a program read messages that are not meant for it.</summary>
    [Theory]
    [MemberData(nameof(UserAndExchangeItDoesNotConsume))]
    public async Task A_user_is_refused_binding_its_queue_to_the_exchange_of_a_message_it_does_not_consume(string user, string exchange)
    {
        var own = (await QueuesOfAsync(BrokerPrograms.Named(user)))[0];
        await using var connection = await ConnectToMirrorAsync(user);
        AssertRefused(await RefusalAsync(connection, channel => channel.QueueBindAsync(own, exchange, "#")), $"{user} binding {own} to {exchange}");
    }

    private async Task<IReadOnlyList<string>> QueuesOfAsync(BrokerProgram program)
    {
        var queues = (await system.Mirror.QueueNamesAsync()).Where(q => BrokerPrograms.OwnerOfQueue(q) == program).Order(StringComparer.Ordinal).ToList();
        Assert.True(queues.Count > 0, $"the running system declared no queue of {program.User}");
        return queues;
    }

    private Task<IConnection> ConnectToMirrorAsync(string user)
    {
        var credentials = BrokerUsers.Named(user);
        return new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestEnvironment.RabbitPort, VirtualHost = system.Mirror.Name,
            UserName = credentials.Name, Password = credentials.Password, ClientProvidedName = "security-test-" + user,
        }.CreateConnectionAsync();
    }

    /// <summary>
    /// Runs one operation on a channel of its own (the broker closes a channel on a refusal) and returns why the broker closed it,
    /// or null when it did not. The channel has publisher confirms, so a publish is answered either way.
    /// </summary>
    private static async Task<ShutdownEventArgs?> RefusalAsync(IConnection connection, Func<IChannel, Task> operation)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await operation(channel);
        }
        catch (OperationInterruptedException refused)
        {
            return refused.ShutdownReason ?? channel.CloseReason;
        }
        return channel.IsClosed ? channel.CloseReason : null;
    }

    private static void AssertRefused(ShutdownEventArgs? closed, string what)
    {
        Assert.True(closed is not null, $"{what} was allowed");
        Assert.True(closed.ReplyCode == AccessRefused, $"{what}: expected ACCESS_REFUSED, the broker answered {closed.ReplyCode} {closed.ReplyText}");
        Assert.StartsWith("ACCESS_REFUSED", closed.ReplyText, StringComparison.Ordinal);
    }

    /// <summary>A message no consumer reads (the mirror's exchanges are bound to nothing).</summary>
    private static Task PublishAsync(IChannel channel, string exchange) =>
        channel.BasicPublishAsync(exchange, "security-test", mandatory: false, new BasicProperties { ContentType = "application/json" }, "{}"u8.ToArray()).AsTask();

    private Task<long> CountAsync(string table, string loanId) =>
        system.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE loan_id = '{loanId}'");

    private async Task<string> StagesAsync(string loanId)
    {
        var stages = new List<string>();
        foreach (var table in new[] { "ingestion.payment", "risk.score", "strategy.assignment", "performance.episode" })
            stages.Add($"{table}: {await CountAsync(table, loanId)}");
        return string.Join(", ", stages);
    }
}

/// <summary>A consumer that takes nothing: these tests only ask whether the broker lets the user consume at all.</summary>
internal sealed class AsyncEventingBasicConsumerStub(IChannel channel) : AsyncDefaultBasicConsumer(channel);
