using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

/// <summary>The shipped simulation files, loaded once.</summary>
public static class Simulation
{
    public static SimulationConfig Default { get; } = SimulatorCli.LoadConfig(File("simulation.default.json"));
    public static SimulationConfig LegalWorksBest { get; } = SimulatorCli.LoadConfig(File("simulation.legal-works-best.json"));

    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, name);
}
