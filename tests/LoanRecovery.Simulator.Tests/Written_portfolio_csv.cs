using LoanRecovery.Ingestion.Domain;
using LoanRecovery.Ingestion.Import;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Written_portfolio_csv
{
    private static readonly IReadOnlyList<PortfolioCsv.Row> Rows =
        PortfolioCsv.History(Simulation.Default, PortfolioGenerator.Generate(Simulation.Default, 1000, 4), 4);

    [Fact]
    public void Has_the_seed_files_21_columns_and_every_row_passes_the_Ingestion_import_rules()
    {
        var lines = PortfolioCsv.Write(Rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(21, header.Length);
        if (Testing.TestEnvironment.SeedFile is { } seed)
            Assert.Equal(File.ReadLines(seed).First().Trim().Split(','), header);

        var parser = PortfolioRowParser.FromHeader(header, new TextLimits(new LoanRecovery.Ingestion.IngestionOptions().MaxFieldLength),
            Simulation.Default.Portfolio.StartDate.AddMonths(Simulation.Default.History.Months));
        Assert.True(parser.HasHistoricalOutcome);
        var accepted = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var errors = new FieldErrors();
            var row = parser.Parse(i + 1, lines[i].Split(','), errors);
            Assert.True(row is not null, $"row {i + 1} rejected: {errors}");
            accepted++;
        }
        Assert.Equal(1000, accepted);
    }

    [Fact]
    public void Fills_the_outcome_columns_from_the_historical_periods_ground_truth()
    {
        var statuses = Rows.GroupBy(r => r.RecoveryStatus).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["Fully Recovered", "Partially Recovered", "Written Off"], statuses.Keys.Order());
        Assert.All(Rows.Where(r => r.RecoveryStatus != "Fully Recovered"), r =>
        {
            Assert.True(r.DaysPastDue >= 0);
            Assert.Equal("Missed", r.PaymentHistory);
            Assert.True(r.CollectionAttempts > 0);
        });
        Assert.All(Rows.Where(r => r.PaymentHistory == "On-Time"), r => Assert.Equal(0, r.MissedPayments));
        Assert.Equal(["Calls", "Legal Notice", "Settlement Offer"], Rows.Select(r => r.CollectionMethod).Distinct().Order());
        Assert.All(Rows.Where(r => r.CollectionMethod == "Legal Notice"), r => Assert.True(r.LegalActionTaken));
    }
}
