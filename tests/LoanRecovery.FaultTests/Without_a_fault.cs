namespace LoanRecovery.FaultTests;

/// <summary>The control: the same portfolio through the same pipeline with nothing injected, which the checker must find whole.</summary>
public sealed class Without_a_fault
{
    [Fact]
    public async Task The_checker_finds_every_payment_through_every_stage_once()
    {
        await using var run = await PortfolioRun.StartAsync("FNONE");
        await run.SendLoansAsync();
        await run.SendAllMonthsAsync();

        var report = await run.CheckAsync("none");

        FaultAssert.NothingLostOrDuplicated(report);
        Assert.Equal(0, report.Recovered);
        Assert.Equal(run.PaymentsSent.Count, report["recorded"].Effects);
    }
}
