using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.ServiceDefaults.Tests;

/// <summary>The reliability recipes of DESIGN.md §6 that ServiceDefaults provides, on a real database and broker.</summary>
public sealed class Inbox_and_outbox : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private RabbitProbe _probe = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _probe = await RabbitProbe.ConnectAsync(_vhost.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static async Task<bool> RunOnceInOwnScopeAsync(TallyService service, Guid messageId, string key)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork<TallyDbContext>>();
        return await unitOfWork.RunOnceAsync(messageId, "direct", ct => TallyWork.IncrementAsync(unitOfWork, key, ct), CancellationToken.None);
    }

    [Fact]
    public async Task The_same_message_id_three_times_staggered_and_concurrently_has_one_effect()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);

        var staggered = Guid.NewGuid();
        var first = await RunOnceInOwnScopeAsync(service, staggered, "staggered");
        await Task.Delay(100);
        var second = await RunOnceInOwnScopeAsync(service, staggered, "staggered");
        await Task.Delay(300);
        var third = await RunOnceInOwnScopeAsync(service, staggered, "staggered");

        var concurrent = Guid.NewGuid();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => RunOnceInOwnScopeAsync(service, concurrent, "concurrent"))));

        Assert.Equal([true, false, false], new[] { first, second, third });
        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, await service.TallyAsync("staggered"));
        Assert.Equal(1, await service.TallyAsync("concurrent"));
    }

    [Fact]
    public async Task The_bus_sends_no_usage_telemetry_to_its_vendor()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);

        var telemetry = service.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UsageTelemetryOptions>>().Value;

        Assert.False(telemetry.Enabled);
    }

    [Fact]
    public async Task Redelivered_bus_messages_are_absorbed_by_the_inbox_and_cause_one_event()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);
        var events = await _probe.ListenAsync(typeof(TallyIncremented).FullName!);
        var bus = service.Services.GetRequiredService<IBus>();
        var messageId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            bus.Publish(new IncrementTally("bus"), context => context.MessageId = messageId)));
        await bus.Publish(new IncrementTally("bus"), context => context.MessageId = messageId);

        await events.WaitForAsync(1, Wait);
        Assert.Single(await events.SettleAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(1, await service.TallyAsync("bus"));
    }

    [Fact]
    public async Task A_failure_before_commit_writes_nothing_and_the_retry_is_processed_once()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);
        var events = await _probe.ListenAsync(typeof(TallyIncremented).FullName!);

        await service.Services.GetRequiredService<IBus>().Publish(new IncrementTally("flaky", FailAfterWrite: true));

        var received = await events.WaitForAsync(1, Wait);
        Assert.Equal(1, received[0].GetProperty("count").GetInt32());
        Assert.Single(await events.SettleAsync(TimeSpan.FromSeconds(1)));
        Assert.True(service.Services.GetRequiredService<FaultPlan>().HasFailed("flaky"));
        Assert.Equal(1, await service.TallyAsync("flaky"));
    }

    [Fact]
    public async Task An_event_committed_before_a_crash_is_published_by_the_next_instance()
    {
        var events = await _probe.ListenAsync(typeof(TallyIncremented).FullName!);
        await using (var crashed = await TallyService.StartAsync(_database, _vhost, relayEnabled: false))
        {
            await using var scope = crashed.Services.CreateAsyncScope();
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork<TallyDbContext>>();
            await unitOfWork.RunAsync(async ct =>
            {
                var count = await TallyWork.IncrementAsync(unitOfWork, "crash", ct);
                unitOfWork.Publish(new TallyIncremented("crash", count));
                return count;
            }, CancellationToken.None);
            await Task.Delay(500);
            Assert.Empty(events.Messages);
            Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM ingestion.outbox_message WHERE sent_at IS NULL"));
        }

        await using var restarted = await TallyService.StartAsync(_database, _vhost);

        var received = await events.WaitForAsync(1, Wait);
        Assert.Equal("crash", received[0].GetProperty("key").GetString());
        var messageId = await _database.ScalarAsync<string>("SELECT message_id::text FROM ingestion.outbox_message");
        Assert.Equal(messageId, events.Envelopes[0].GetProperty("messageId").GetString());
        // The row is marked sent after the broker's confirm: that may commit a moment after the event arrives.
        var deadline = DateTime.UtcNow + Wait;
        while (await _database.ScalarAsync<long>("SELECT count(*) FROM ingestion.outbox_message WHERE sent_at IS NULL") > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM ingestion.outbox_message WHERE sent_at IS NULL"));
    }

    [Fact]
    public async Task A_row_that_can_never_be_published_is_set_aside_and_the_rows_after_it_go_out()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);
        var events = await _probe.ListenAsync(typeof(TallyIncremented).FullName!);
        await _database.ExecuteAsync(
            "INSERT INTO ingestion.outbox_message (message_id, message_type, body, created_at) " +
            "VALUES (gen_random_uuid(), 'LoanRecovery.Contracts.NoSuchEvent, LoanRecovery.Contracts', '{}', now())");

        await service.Services.GetRequiredService<IBus>().Publish(new IncrementTally("after-poison"));

        var received = await events.WaitForAsync(1, Wait);
        Assert.Equal("after-poison", received[0].GetProperty("key").GetString());
        // The relay marks the batch after the broker confirmed it: the mark may commit a moment after the event arrives.
        var deadline = DateTime.UtcNow + Wait;
        string? failure;
        while ((failure = await _database.ScalarAsync<string>("SELECT failure FROM ingestion.outbox_message WHERE failed_at IS NOT NULL")) is null
               && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Contains("NoSuchEvent", failure);
    }

    [Fact]
    public async Task A_relay_that_dies_between_broker_confirm_and_marking_the_row_republishes_with_the_same_message_id()
    {
        await using var service = await TallyService.StartAsync(_database, _vhost);
        var events = await _probe.ListenAsync(typeof(TallyIncremented).FullName!);
        await service.Services.GetRequiredService<IBus>().Publish(new IncrementTally("relay"));
        await events.WaitForAsync(1, Wait);

        // What a relay that died after the confirm leaves behind: a published row still marked unsent.
        await _database.ExecuteAsync("UPDATE ingestion.outbox_message SET sent_at = NULL");

        var both = await events.WaitForAsync(2, Wait);
        Assert.Equal(events.Envelopes[0].GetProperty("messageId").GetString(), events.Envelopes[1].GetProperty("messageId").GetString());
        Assert.Equal(both[0].GetProperty("count").GetInt32(), both[1].GetProperty("count").GetInt32());
    }
}
