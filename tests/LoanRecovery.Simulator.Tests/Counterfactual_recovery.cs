using System.Collections.Concurrent;
using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Counterfactual_recovery
{
    // Reports are computed once per portfolio: each replays every policy, and the oracle in expectation 96 more runs.
    private static readonly ConcurrentDictionary<(SimulationConfig Config, int Loans, int Seed, int Months), Lazy<RecoveryReport>> Reports = new();

    private static RecoveryReport Evaluate(SimulationConfig config, int loans, int seed, int months) =>
        Reports.GetOrAdd((config, loans, seed, months), key => new Lazy<RecoveryReport>(() =>
            Counterfactuals.Evaluate(key.Config, PortfolioGenerator.Generate(key.Config, key.Loans, key.Seed), key.Seed, key.Months))).Value;

    private static RecoveryReport Report(SimulationConfig config) => Evaluate(config, 3000, 17, 12);

    /// <summary>The learning bench's portfolio: 3,000 loans, seed 7, 24 months.</summary>
    private static RecoveryReport Bench(SimulationConfig config) => Evaluate(config, 3000, 7, 24);

    [Fact]
    public void The_oracle_recovers_at_least_as_much_as_the_baseline_and_every_fixed_strategy()
    {
        foreach (var config in new[] { Simulation.Default, Simulation.LegalWorksBest })
        {
            var report = Report(config);
            Assert.All(report.Fixed.Append(report.Baseline), policy =>
            {
                Assert.Equal(report.Oracle.Total.Loans, policy.Total.Loans);
                Assert.Equal(report.Oracle.Total.Owed, policy.Total.Owed);   // the same borrowers, the same amounts owed
                Assert.True(report.Oracle.Total.Net >= policy.Total.Net, $"{policy.Policy} {policy.Total.Net} beats the oracle {report.Oracle.Total.Net}");
            });
            Assert.True(report.Oracle.Total.Net > report.Baseline.Total.Net);
        }
    }

    [Fact]
    public void Knowing_each_borrower_s_kind_recovers_each_kind_s_best_fixed_strategy_and_no_more_than_the_oracle()
    {
        foreach (var config in new[] { Simulation.Default, Simulation.LegalWorksBest })
        {
            var report = Report(config);
            var known = report.KnownGroup!;
            Assert.Equal(report.Oracle.Total.Owed, known.Total.Owed);
            Assert.All(report.Fixed, policy => Assert.True(known.Total.Net >= policy.Total.Net, $"{policy.Policy} {policy.Total.Net} beats KnownGroup {known.Total.Net}"));
            Assert.True(known.Total.Net <= report.Oracle.Total.Net);
            // It uses each kind's best strategy: its loans' last strategies are exactly those.
            var used = known.ByStrategy.Keys.Where(k => k != "None").ToHashSet();
            Assert.Subset(report.BestStrategyByGroup.Values.Append(nameof(RecoveryStrategy.Settlement)).ToHashSet(), used);
        }
    }

    [Fact]
    public void Knowing_each_borrower_s_kind_closes_most_of_the_gap_on_the_default_file_and_less_than_half_on_the_legal_works_best_file()
    {
        // The learning bench's portfolio (3,000 loans, seed 7, 24 months). On the default file knowing the kind closes most of
        // the gap; on the legal-works-best file choosing by kind is worth little more than the baseline's escalation, and the
        // rest of the gap is what the oracle knows beyond the kind (services/Simulator/README.md).
        var legal = Bench(Simulation.LegalWorksBest).KnownGroupGapClosed!.Value;
        var byDefault = Bench(Simulation.Default).KnownGroupGapClosed!.Value;
        Assert.InRange(legal, 0, 0.5);
        Assert.InRange(byDefault, 0.5, 1);
    }

    [Fact]
    public void Each_borrower_s_best_strategy_in_expectation_recovers_less_than_the_oracle_more_than_any_fixed_strategy_and_repeats_exactly()
    {
        foreach (var config in new[] { Simulation.Default, Simulation.LegalWorksBest })
        {
            var report = Report(config);
            var expected = report.OracleInExpectation!;
            // Chosen on other draws of each borrower's future, it cannot pick the strategy that was lucky as the oracle does...
            Assert.True(expected.Total.Net < report.Oracle.Total.Net, $"{expected.Total.Net} against the oracle's {report.Oracle.Total.Net}");
            // ... but it chooses per borrower what is best in expectation, which no one strategy for everybody beats.
            Assert.All(report.Fixed, policy => Assert.True(expected.Total.Net > policy.Total.Net, $"{policy.Policy} {policy.Total.Net} beats {expected.Total.Net}"));
            // The replications run in parallel; the choice does not depend on their order.
            var again = Counterfactuals.Evaluate(config, PortfolioGenerator.Generate(config, 3000, 17), 17, 12);
            Assert.Equal(expected.Total, again.OracleInExpectation!.Total);
        }
    }

    [Fact]
    public void On_the_legal_works_best_file_most_of_the_oracle_s_lead_is_luck_and_knowing_each_kind_closes_most_of_the_rest()
    {
        // The learning bench's portfolio: the oracle's lead over the baseline is mostly its knowledge of each borrower's future
        // draws, which no policy has; of the gap that remains, choosing by kind closes most on both files.
        var legal = Bench(Simulation.LegalWorksBest);
        double Rate(PolicyResult p) => p.Total.RecoveryRate;
        Assert.True(Rate(legal.Oracle) - Rate(legal.OracleInExpectation!) > Rate(legal.OracleInExpectation!) - Rate(legal.Baseline));
        Assert.InRange(legal.KnownGroupGapClosedInExpectation!.Value, 0.5, 1.0);
        Assert.InRange(Bench(Simulation.Default).KnownGroupGapClosedInExpectation!.Value, 0.5, 1.05);
    }

    [Fact]
    public void Settlement_is_best_for_low_ability_high_willingness_borrowers_by_default_and_legal_action_with_the_other_file()
    {
        var group = nameof(BorrowerGroup.LowAbilityHighWillingness);
        Assert.Equal(nameof(RecoveryStrategy.Settlement), Report(Simulation.Default).BestStrategyByGroup[group]);
        Assert.Equal(nameof(RecoveryStrategy.LegalAction), Report(Simulation.LegalWorksBest).BestStrategyByGroup[group]);
    }

    [Fact]
    public void A_system_run_is_measured_on_the_same_borrowers_and_its_gap_closed_is_relative_to_baseline_and_oracle()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 1000, 2);
        // A "system" that happens to decide exactly as the baseline (its rules under the compliance guard) closes none of the gap.
        var system = new PortfolioSimulation(config, loans, 2, 12, new CompliantPolicy(new BaselinePolicy(config.Baseline), config.Compliance)).RunAll();
        var report = Counterfactuals.Evaluate(config, loans, 2, 12, system);
        Assert.Equal(report.Baseline.Total, report.System!.Total);
        Assert.Equal(0, report.GapClosed!.Value, 6);
        Assert.Equal(0, report.GapClosedInExpectation!.Value, 6);
        // ... and none of it in any month.
        Assert.Equal(12, report.ByMonth!.Count);
        Assert.All(report.ByMonth, m =>
        {
            Assert.Equal(m.BaselineNet, m.SystemNet);
            Assert.True(m.GapClosed is null || m.GapClosed == 0, $"month {m.Month} closed {m.GapClosed}");
        });
    }

    [Fact]
    public void The_months_of_a_system_run_add_up_to_its_totals_and_the_gap_closed_to_date_ends_at_the_run_s_gap_closed()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 1500, 5);
        var system = new PortfolioSimulation(config, loans, 5, 12, new FixedStrategyPolicy(RecoveryStrategy.Settlement)).RunAll();
        var report = Counterfactuals.Evaluate(config, loans, 5, 12, system);

        var months = report.ByMonth!;
        Assert.Equal(Enumerable.Range(1, 12), months.Select(m => m.Month));
        Assert.Equal(report.System!.Total.Net, months.Sum(m => m.SystemNet));
        Assert.Equal(report.Baseline.Total.Net, months.Sum(m => m.BaselineNet));
        Assert.Equal(report.Oracle.Total.Net, months.Sum(m => m.OracleNet));
        Assert.Equal(report.GapClosed!.Value, months[^1].GapClosedToDate!.Value, 9);
    }

    [Fact]
    public void A_system_that_decides_as_the_oracle_recovers_what_it_does_and_agrees_with_its_choice_every_month()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 800, 9);
        var strategies = Enum.GetValues<RecoveryStrategy>();
        var runs = strategies.Select(s => new PortfolioSimulation(config, loans, 9, 12, new CompliantPolicy(new FixedStrategyPolicy(s), config.Compliance)).RunAll())
            .ToArray();
        var choice = loans.Select((_, i) => strategies[Enumerable.Range(0, runs.Length).Aggregate(0, (best, k) => runs[k].States[i].Net > runs[best].States[i].Net ? k : best)])
            .ToArray();
        var system = new PortfolioSimulation(config, loans, 9, 12, new CompliantPolicy(new PerLoanPolicy("AsTheOracle", choice), config.Compliance)).RunAll();

        var report = Counterfactuals.Evaluate(config, loans, 9, 12, system);

        Assert.Equal(report.Oracle.Total, report.System!.Total);
        Assert.Equal(1, report.GapClosed!.Value, 9);
        Assert.True(report.GapClosedInExpectation > 1, $"{report.GapClosedInExpectation}: the oracle's luck is worth more than the gap in expectation");
        Assert.Contains(report.ByMonth!, m => m.AgreesWithOracle is not null);
        Assert.All(report.ByMonth!, m => Assert.True(m.AgreesWithOracle is null or 1.0, $"month {m.Month} agrees {m.AgreesWithOracle}"));
    }

    [Fact]
    public void The_months_of_a_system_run_count_its_strategies_in_force()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 800, 6);
        var system = new PortfolioSimulation(config, loans, 6, 6, new FixedStrategyPolicy(RecoveryStrategy.Reminder)).RunAll();
        var report = Counterfactuals.Evaluate(config, loans, 6, 6, system);

        Assert.All(report.ByMonth!, m =>
        {
            Assert.Equal(0, m.SystemStrategies![nameof(RecoveryStrategy.Settlement)]);
            Assert.Equal(0, m.SystemStrategies[nameof(RecoveryStrategy.LegalAction)]);
            Assert.Equal(system.States.Count(s => s.StrategyAt[m.Month - 1] == RecoveryStrategy.Reminder), m.SystemStrategies[nameof(RecoveryStrategy.Reminder)]);
        });
        Assert.Contains(report.ByMonth!, m => m.SystemStrategies![nameof(RecoveryStrategy.Reminder)] > 0);
    }

    [Fact]
    public void An_offline_report_has_no_months_of_a_system()
    {
        Assert.Null(Report(Simulation.Default).ByMonth);
    }
}
