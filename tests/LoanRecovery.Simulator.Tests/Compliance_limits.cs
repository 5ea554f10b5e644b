using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

/// <summary>The replayed policies are held to the compliance limits the running system is held to (StrategyAssignment's guard).</summary>
public sealed class Compliance_limits
{
    /// <summary>Records every decision a policy makes, with the loan's state at the time.</summary>
    private sealed class Recording(IStrategyPolicy inner) : IStrategyPolicy
    {
        public List<(LoanObservation Observation, RecoveryStrategy? Strategy)> Decisions { get; } = [];
        public string Name => inner.Name;

        public RecoveryStrategy? Decide(LoanObservation observation)
        {
            var strategy = inner.Decide(observation);
            Decisions.Add((observation, strategy));
            return strategy;
        }
    }

    [Fact]
    public void Without_compliance_in_the_file_the_limits_are_StrategyAssignment_s_defaults()
    {
        var text = File.ReadAllText(Simulation.File("simulation.default.json"));
        var start = text.IndexOf("\"compliance\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the shipped file states its compliance limits");
        var end = text.IndexOf('}', start) + 1;
        var config = SimulationConfig.Parse(text.Remove(start, end - start + 1), "no-compliance.json");
        Assert.Equal(60, config.Compliance.LegalMinDaysPastDue);
        Assert.Equal(1000m, config.Compliance.LegalMinBalance);
        Assert.Equal(60, Simulation.Default.Compliance.LegalMinDaysPastDue);
        Assert.Equal(1000m, Simulation.LegalWorksBest.Compliance.LegalMinBalance);
    }

    [Fact]
    public void Out_of_range_limits_are_refused_with_their_field()
    {
        var text = File.ReadAllText(Simulation.File("simulation.default.json"))
            .Replace("\"legalMinDaysPastDue\": 60", "\"legalMinDaysPastDue\": -1");
        var error = Assert.Throws<SimulationConfigException>(() => SimulationConfig.Parse(text, "f.json"));
        Assert.Contains("compliance.legalMinDaysPastDue: must be between 0 and 10000 (was -1)", error.Message);
    }

    [Fact]
    public void Legal_action_where_compliance_forbids_it_becomes_settlement_and_every_other_choice_is_kept()
    {
        var compliance = new ComplianceSettings { LegalMinDaysPastDue = 60, LegalMinBalance = 1000m };
        var loan = PortfolioGenerator.Generate(Simulation.Default, 1, 3)[0];
        LoanObservation At(int daysPastDue, decimal outstanding) => new(loan, 0, 100m, outstanding, daysPastDue, 2);
        var legal = new CompliantPolicy(new FixedStrategyPolicy(RecoveryStrategy.LegalAction), compliance);

        Assert.Equal(RecoveryStrategy.Settlement, legal.Decide(At(59, 5000m)));   // too early
        Assert.Equal(RecoveryStrategy.Settlement, legal.Decide(At(90, 999.99m))); // too small a balance
        Assert.Equal(RecoveryStrategy.LegalAction, legal.Decide(At(60, 1000m)));
        Assert.Equal(RecoveryStrategy.Reminder,
            new CompliantPolicy(new FixedStrategyPolicy(RecoveryStrategy.Reminder), compliance).Decide(At(10, 10m)));
        Assert.Equal("AlwaysLegalAction", legal.Name);
    }

    [Fact]
    public void The_replayed_baseline_takes_legal_action_only_where_the_guard_allows_it()
    {
        var config = Simulation.Default;
        var loans = PortfolioGenerator.Generate(config, 2000, 11);
        var unguarded = new Recording(new BaselinePolicy(config.Baseline));
        new PortfolioSimulation(config, loans, 11, 12, unguarded).RunAll();
        // Without the guard the rules do take legal action that compliance forbids (3 missed payments before 60 days, small balances)...
        Assert.Contains(unguarded.Decisions, d => d.Strategy == RecoveryStrategy.LegalAction &&
                                                  !config.Compliance.AllowsLegalAction(d.Observation.DaysPastDue, d.Observation.Outstanding));

        var guarded = new Recording(new CompliantPolicy(new BaselinePolicy(config.Baseline), config.Compliance));
        new PortfolioSimulation(config, loans, 11, 12, guarded).RunAll();
        // ... with it, never.
        Assert.Contains(guarded.Decisions, d => d.Strategy == RecoveryStrategy.LegalAction);
        Assert.All(guarded.Decisions.Where(d => d.Strategy == RecoveryStrategy.LegalAction),
            d => Assert.True(config.Compliance.AllowsLegalAction(d.Observation.DaysPastDue, d.Observation.Outstanding),
                $"legal action at {d.Observation.DaysPastDue} days past due, balance {d.Observation.Outstanding}"));
    }

    [Fact]
    public void When_compliance_never_allows_legal_action_always_legal_and_the_oracle_are_what_settlement_and_reminder_allow()
    {
        var text = File.ReadAllText(Simulation.File("simulation.legal-works-best.json"))
            .Replace("\"legalMinDaysPastDue\": 60", "\"legalMinDaysPastDue\": 10000");
        var config = SimulationConfig.Parse(text, "no-legal.json");
        var loans = PortfolioGenerator.Generate(config, 1500, 4);
        var report = Counterfactuals.Evaluate(config, loans, 4, 12);
        var fixedByName = report.Fixed.ToDictionary(f => f.Policy);
        Assert.Equal(fixedByName["AlwaysSettlement"].Total, fixedByName["AlwaysLegalAction"].Total);
        Assert.DoesNotContain(nameof(RecoveryStrategy.LegalAction), report.Oracle.ByStrategy.Keys);
        Assert.DoesNotContain(nameof(RecoveryStrategy.LegalAction), report.Baseline.ByStrategy.Keys);
    }
}
