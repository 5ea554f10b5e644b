using LoanRecovery.Testing;

namespace LoanRecovery.Ingestion.Tests;

public sealed class Importing_the_seed_file(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    private static string SeedCsv()
    {
        var path = TestEnvironment.SeedFile;
        Assert.SkipWhen(path is null, TestEnvironment.SeedFileMissing);
        return File.ReadAllText(path!);
    }

    [Fact]
    public async Task Accepts_all_500_rows_stores_history_apart_and_reimporting_changes_nothing()
    {
        var csv = SeedCsv();
        var loanOpened = await service.Probe.ListenAsync("LoanRecovery.Contracts.LoanOpened");
        var outcomes = await service.Probe.ListenAsync("LoanRecovery.Contracts.RecoveryOutcomeRecorded");

        var first = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(csv, "loan-recovery.csv"));

        Assert.Equal(500, first.RowsRead);
        Assert.Equal(500, first.Accepted);
        Assert.Equal(0, first.Rejected);
        Assert.Empty(first.Rejections);
        Assert.Equal(500L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.loan"));
        Assert.Equal(500L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.historical_outcome"));
        // The lender's figures are kept to the precision they were sent with (LN_1's outstanding is 291413.0058).
        Assert.Equal(291413.0058m, await service.Database.ScalarAsync<decimal>("SELECT outstanding_balance FROM ingestion.loan WHERE loan_id = 'LN_1'"));

        var opened = await loanOpened.WaitForAsync(500, TimeSpan.FromSeconds(60));
        var history = await outcomes.WaitForAsync(500, TimeSpan.FromSeconds(60));
        Assert.Equal(500, opened.Select(m => m.GetProperty("loanId").GetString()).Distinct().Count());
        Assert.All(history, m => Assert.True(m.GetProperty("historical").GetBoolean()));
        // Post-decision columns travel only as history: the loan event carries no collection or recovery field.
        Assert.All(opened, m =>
        {
            Assert.False(m.TryGetProperty("collectionMethod", out _));
            Assert.False(m.TryGetProperty("recoveryStatus", out _));
        });

        var second = await IngestionFixture.ReadImportAsync(await service.ImportCsvAsync(csv, "loan-recovery.csv"));

        Assert.Equal(500, second.RowsRead);
        Assert.Equal(0, second.Accepted);
        Assert.Equal(500, second.Unchanged);
        Assert.Equal(0, second.Rejected);
        Assert.Equal(500L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.loan"));
        Assert.Equal(500L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.borrower"));
        Assert.Equal(1000L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.outbox_message"));
        await loanOpened.SettleAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(500, loanOpened.Messages.Count);
    }
}
