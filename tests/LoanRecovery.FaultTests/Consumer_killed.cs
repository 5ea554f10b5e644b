using System.Text.Json;
using LoanRecovery.RiskScoring.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanRecovery.FaultTests;

/// <summary>
/// DESIGN.md §6, recipes 2 and 3: RiskScoring's process dies while it scores a payment (the first transaction that queues a
/// RiskScored event, mid-stream), either just after its transaction committed and before the broker had the
/// acknowledgement, or just before the commit. The death is what the broker and the database see of one: RiskScoring's
/// broker connection is cut (the broker puts the unacknowledged PaymentRecorded back in the queue) and, before the
/// commit, its database session is ended (PostgreSQL rolls the transaction back); nothing of that host may reach the
/// broker or commit again, its host is disposed, and a fresh RiskScoring starts on the same database and virtual host while
/// core banking keeps sending.
/// </summary>
public sealed class Consumer_killed
{
    [Fact]
    public async Task Between_commit_and_ack_the_redelivery_is_absorbed_by_the_inbox()
    {
        var (report, frozen, scoreRows, fresh) = await RunWithKillAsync(KillMoment.AfterCommit, "FKCA");

        FaultAssert.NothingLostOrDuplicated(report);
        // The committed score stands, once, and its event went out under the message id it was committed with.
        Assert.Equal(1, scoreRows);
        Assert.Contains(report.Heard("RiskScored"), e => e.MessageId == frozen.EventMessageId.ToString());
        // The broker delivered the payment again, and the fresh instance found it in its inbox.
        Assert.Contains(fresh.Consumed, d => d.MessageType == "PaymentRecorded" && d.Redelivered);
    }

    [Fact]
    public async Task Before_commit_nothing_is_written_and_the_redelivery_is_processed_once()
    {
        var (report, frozen, scoreRows, fresh) = await RunWithKillAsync(KillMoment.BeforeCommit, "FKBC");

        FaultAssert.NothingLostOrDuplicated(report);
        // The rolled-back event never went out; the redelivery scored the payment once, with an event of its own.
        Assert.Equal(1, scoreRows);
        Assert.DoesNotContain(report.Heard("RiskScored"), e => e.MessageId == frozen.EventMessageId.ToString());
        Assert.Single(report.Heard("RiskScored"), e => e.Key == ScoreKey(frozen));
        Assert.Contains(fresh.Consumed, d => d.MessageType == "PaymentRecorded" && d.Redelivered);
    }

    private static async Task<(PipelineReport Report, FrozenTransaction Frozen, long ScoreRows, DeliveryWatch Fresh)> RunWithKillAsync(KillMoment moment, string idPrefix)
    {
        var kill = new TransactionKill(moment, "RiskScored");
        await using var run = await PortfolioRun.StartAsync(idPrefix, Service.RiskScoring);
        var brokerUser = await run.Pipeline.StartWithOwnBrokerUserAsync(Service.RiskScoring,
            services => services.ConfigureDbContext<RiskDbContext>(db => db.AddInterceptors(kill)));

        // The process dies as soon as the chosen transaction reaches the moment, while the portfolio keeps flowing.
        var killer = Task.Run(async () =>
        {
            var frozen = await kill.Reached.WaitAsync(PortfolioRun.Wait);
            run.Log($"RiskScoring frozen {(moment == KillMoment.AfterCommit ? "after" : "before")} its commit");
            if (moment == KillMoment.BeforeCommit)
                await Servers.TerminateBackendAsync(frozen.BackendProcessId);
            Assert.True(await Servers.RemoveBrokerUserAsync(brokerUser) > 0, "RiskScoring had no broker connection to cut");
            kill.Release();
            await run.Pipeline.CrashAsync(Service.RiskScoring);
            run.Log("RiskScoring killed");
            run.Pipeline.Start(Service.RiskScoring);
            run.Log("a fresh RiskScoring started");
            return frozen;
        });

        await run.SendLoansAsync();
        await run.SendAllMonthsAsync();
        var frozen = await killer;
        var fresh = run.Pipeline.Deliveries[Service.RiskScoring];
        var report = await run.CheckAsync($"RiskScoring killed {(moment == KillMoment.AfterCommit ? "between commit and ack" : "before commit")} " +
            $"while scoring payment {frozen.Event.GetProperty("paymentId").GetString()}");
        var scoreRows = await run.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM risk.score WHERE loan_id || '/' || payment_id = '{ScoreKey(frozen)}'");
        return (report, frozen, scoreRows, fresh);
    }

    private static string ScoreKey(FrozenTransaction frozen) =>
        frozen.Event.GetProperty("loanId").GetString() + "/" + frozen.Event.GetProperty("paymentId").GetString();
}
