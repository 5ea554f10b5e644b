using LoanRecovery.Contracts;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Payments_and_redeliveries_after_the_first_fit(SegmentedPortfolioFixture service) : IClassFixture<SegmentedPortfolioFixture>
{
    private const string Prefix = SegmentedPortfolioFixture.Prefix;

    private static PaymentRecorded Payment(string borrowerId, int daysPastDue, int missed, decimal outstanding, decimal paid) =>
        new($"PAY-{borrowerId}-{Guid.NewGuid():N}", "LN-" + borrowerId, borrowerId, new DateOnly(2026, 6, 1), 3_000m, paid,
            paid > 0 ? new DateOnly(2026, 6, 1) : null, daysPastDue, missed, 3_000m * missed, outstanding, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_payment_that_puts_a_borrower_far_behind_moves_them_and_publishes_one_BorrowerSegmented()
    {
        var borrowerId = Portfolio.BorrowerId(Prefix, Portfolio.Current, 3);
        var behindSegment = service.SegmentedFor(Portfolio.BorrowerId(Prefix, Portfolio.Behind, 3)).Single().GetProperty("segmentId").GetInt32();
        var before = service.SegmentedFor(borrowerId).Single();
        Assert.NotEqual(behindSegment, before.GetProperty("segmentId").GetInt32());

        await service.PublishAsync(Payment(borrowerId, daysPastDue: 150, missed: 6, outstanding: 95_000m, paid: 0));

        var moved = await service.EventuallyAsync(() => Task.FromResult(service.SegmentedFor(borrowerId)), m => m.Count >= 2, "the borrower's move");
        await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, service.SegmentedFor(borrowerId).Count);
        Assert.Equal(behindSegment, moved[1].GetProperty("segmentId").GetInt32());
        Assert.Contains("behind on payments", moved[1].GetProperty("segmentLabel").GetString());
    }

    [Fact]
    public async Task A_payment_that_leaves_the_segment_as_it_was_publishes_nothing()
    {
        var borrowerId = Portfolio.BorrowerId(Prefix, Portfolio.Current, 4);
        var published = service.Segmented.Messages.Count;

        await service.PublishAsync(Payment(borrowerId, daysPastDue: 0, missed: 0, outstanding: 81_000m, paid: 3_000m));

        await service.EventuallyAsync(() => service.Database.ScalarAsync<decimal>(
            $"SELECT outstanding FROM segmentation.loan_position WHERE borrower_id = '{borrowerId}'"), o => o == 81_000m, "the payment applied");
        await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1));
        Assert.Single(service.SegmentedFor(borrowerId));
        Assert.Equal(published, service.Segmented.Messages.Count);
    }

    [Fact]
    public async Task A_payment_that_overtakes_its_LoanOpened_waits_for_the_loan_instead_of_being_parked()
    {
        var loan = Portfolio.Loan("EARLY", Portfolio.Current, 1);
        var payment = new PaymentRecorded($"PAY-EARLY-{Guid.NewGuid():N}", loan.LoanId, loan.BorrowerId, new DateOnly(2026, 6, 1), 3_000m, 3_000m,
            new DateOnly(2026, 6, 1), 0, 0, 0m, 77_000m, DateTimeOffset.UtcNow);

        await service.PublishAsync(payment);
        // Longer than the general retry policy of the test host (50, 100 and 200 ms), which alone would park the payment.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await service.PublishAsync(loan);

        await service.EventuallyAsync(() => service.Database.ScalarAsync<decimal>(
            $"SELECT coalesce(max(outstanding), 0) FROM segmentation.loan_position WHERE loan_id = '{loan.LoanId}'"), o => o == 77_000m,
            "the payment applied once its loan arrived");
        Assert.Null(await service.Probe.GetAsync("segmentation-payment-recorded_error"));
    }

    [Fact]
    public async Task The_same_LoanOpened_delivered_twice_has_one_effect()
    {
        var loan = Portfolio.Loan("NEW", Portfolio.Middle, 1);
        var messageId = Guid.NewGuid();

        await service.PublishAsync(loan, messageId);
        await service.PublishAsync(loan, messageId);

        var segmented = await service.EventuallyAsync(() => Task.FromResult(service.SegmentedFor(loan.BorrowerId)), m => m.Count >= 1, "the new borrower's segment");
        await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1));
        Assert.Single(service.SegmentedFor(loan.BorrowerId));
        Assert.StartsWith("middle income", segmented[0].GetProperty("segmentLabel").GetString());
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM segmentation.loan_position WHERE loan_id = '{loan.LoanId}'"));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM segmentation.inbox_state WHERE message_id = '{messageId}' AND consumer_id = 'LoanOpenedConsumer'"));
    }
    [Fact]
    public async Task An_invalid_LoanOpened_is_parked_in_the_error_queue_naming_each_bad_field()
    {
        var loan = Portfolio.Loan("BAD", Portfolio.Middle, 1) with { LoanAmount = -5m, BorrowerId = "" };

        await service.PublishAsync(loan);

        var parked = await service.EventuallyAsync(() => service.Probe.GetAsync("segmentation-loan-opened_error"), m => m is not null, "the message parked");
        var headers = parked!.BasicProperties.Headers!;
        var reason = headers["MT-Fault-Message"] is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : headers["MT-Fault-Message"]?.ToString();
        Assert.Contains("borrowerId: is required", reason);
        Assert.Contains("loanAmount: must not be negative", reason);
        Assert.Equal(0L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM segmentation.loan_position WHERE loan_id = '{loan.LoanId}'"));
    }
}
