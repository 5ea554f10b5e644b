using System.Globalization;
using LoanRecovery.Ingestion.Consumers;
using LoanRecovery.Ingestion.Domain;
using Microsoft.Extensions.DependencyInjection;
using LoanRecovery.Testing;
using Npgsql;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>
/// Core banking publishes each payment with routing key <c>payment.&lt;loanId&gt;</c>; the broker's consistent-hash
/// exchange sends each loan's payments to one of Ingestion's partition queues (<c>Ingestion:PaymentPartitions</c>, 8 by
/// default), each consumed one at a time: loans run side by side, and each loan's payments are applied in the order core
/// banking published them. Order matters: a missed instalment followed by a double payment leaves a loan current,
/// the other way round leaves it in arrears.
/// </summary>
public sealed class Payments_consumed_by_loan_partition(IngestionFixture service) : IClassFixture<IngestionFixture>
{
    private const int Loans = 24;
    private const decimal Emi = 10_000m;
    private const decimal Outstanding = 240_000m;
    private static readonly DateOnly FirstDue = new(2026, 2, 1);

    /// <summary>Amount paid per month: misses, partials, catch-ups and overpayments, so that each month reads differently out of order.</summary>
    private static readonly decimal[][] Patterns =
    [
        [0, 0, 30_000, 0, 10_000, 5_000, 25_000, 0],
        [5_000, 0, 0, 0, 40_000, 10_000, 0, 20_000],
        [10_000, 0, 20_000, 0, 0, 30_000, 10_000, 0],
        [0, 15_000, 0, 25_000, 0, 0, 0, 40_000],
    ];

    [Fact]
    public async Task Each_loans_payments_are_applied_in_the_order_published_while_loans_run_side_by_side()
    {
        var loanIds = Enumerable.Range(1, Loans).Select(i => $"PART_{i:D2}").ToArray();
        var opened = await service.Probe.ListenAsync("LoanRecovery.Contracts.LoanOpened");
        foreach (var loanId in loanIds)
            await service.Probe.PublishRawAsync("core-banking", "loan", LoanJson(loanId));
        await opened.WaitForAsync(Loans, TimeSpan.FromSeconds(60));

        // Each loan's payments back to back: with plain concurrent consumption they would be in flight together and
        // taken by the loan's row lock in whatever order they reached it.
        var expected = new Dictionary<string, DelinquencyState>();
        for (var i = 0; i < Loans; i++)
        {
            var state = new DelinquencyState(Outstanding, 0, null, 0, 0);
            var pattern = Patterns[i % Patterns.Length];
            for (var month = 0; month < pattern.Length; month++)
            {
                var payment = Payment(loanIds[i], month, pattern[month]);
                state = Delinquency.Apply(state, payment);
                expected[payment.PaymentId] = state;
                await service.Probe.PublishRawAsync("core-banking", $"payment.{payment.LoanId}", PaymentJson(payment));
            }
        }

        var recorded = await Eventually.TrueWithinAsync(
            async () => await service.Database.ScalarAsync<long>("SELECT count(*) FROM ingestion.payment WHERE loan_id LIKE 'PART\\_%'") == expected.Count,
            TimeSpan.FromSeconds(90));
        Assert.True(recorded, $"not all {expected.Count} payments were recorded");

        var actual = await ReadPaymentsAsync();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (paymentId, state) in expected)
        {
            var row = actual[paymentId];
            Assert.True((state.DaysPastDue, state.MissedPayments, state.Arrears, state.Outstanding) == row,
                $"{paymentId}: expected (dpd, missed, arrears, outstanding) {(state.DaysPastDue, state.MissedPayments, state.Arrears, state.Outstanding)} in published order, recorded {row}");
        }
        // The patterns are chosen so that order shows: applied in reverse they would end elsewhere.
        Assert.Contains(Patterns, pattern => FinalState(pattern) != FinalState([.. pattern.Reverse()]));
        // And the loans did run side by side: their payments went through more than one partition.
        var partitions = service.Host.Services.GetRequiredService<PaymentPartitions>();
        async Task<int> PartitionsUsed()
        {
            var used = 0;
            foreach (var queue in partitions.QueueNames)
                used += await service.VirtualHost.AcknowledgedCountAsync(queue) > 0 ? 1 : 0;
            return used;
        }
        Assert.True(await Eventually.TrueWithinAsync(async () => await PartitionsUsed() >= partitions.Count / 2, TimeSpan.FromSeconds(30)),
            $"the {Loans} loans' payments went through {await PartitionsUsed()} of {partitions.Count} partitions");
    }

    private static (int, int, decimal, decimal) FinalState(decimal[] pattern)
    {
        var state = new DelinquencyState(Outstanding, 0, null, 0, 0);
        for (var month = 0; month < pattern.Length; month++)
            state = Delinquency.Apply(state, Payment("X", month, pattern[month]));
        return (state.DaysPastDue, state.MissedPayments, state.Arrears, state.Outstanding);
    }

    private static ValidPayment Payment(string loanId, int month, decimal paid)
    {
        var due = FirstDue.AddMonths(month);
        return new ValidPayment($"{loanId}-{due:yyyy-MM}", loanId, due, Emi, paid, paid > 0 ? due.AddDays(3 + month) : null);
    }

    private static string LoanJson(string loanId) =>
        $$"""
          {"loanId":"{{loanId}}","borrowerId":"B_{{loanId}}","age":41,"gender":"Female","employmentType":"Salaried","monthlyIncome":52000,
           "numDependents":2,"loanAmount":300000,"loanTenureMonths":36,"interestRate":11.0,"loanType":"Personal","collateralValue":0,
           "outstandingLoanAmount":{{Outstanding.ToString(CultureInfo.InvariantCulture)}},"monthlyEmi":{{Emi.ToString(CultureInfo.InvariantCulture)}},"openedOn":"2026-01-01"}
          """;

    private static string PaymentJson(ValidPayment p) =>
        $$"""
          {"paymentId":"{{p.PaymentId}}","loanId":"{{p.LoanId}}","dueDate":"{{p.DueDate:yyyy-MM-dd}}","amountDue":{{p.AmountDue.ToString(CultureInfo.InvariantCulture)}},
           "amountPaid":{{p.AmountPaid.ToString(CultureInfo.InvariantCulture)}},"paidOn":{{(p.PaidOn is { } paid ? $"\"{paid:yyyy-MM-dd}\"" : "null")}}}
          """;

    private async Task<Dictionary<string, (int, int, decimal, decimal)>> ReadPaymentsAsync()
    {
        await using var connection = new NpgsqlConnection(service.Database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT payment_id, days_past_due_after, missed_payments_after, arrears_after, outstanding_after
            FROM ingestion.payment WHERE loan_id LIKE 'PART\_%'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (int, int, decimal, decimal)>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2), reader.GetDecimal(3), reader.GetDecimal(4));
        return rows;
    }
}
