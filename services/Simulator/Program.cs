namespace LoanRecovery.Simulator;

public static class SimulatorProgram
{
    public static Task<int> Main(string[] args) => SimulatorCli.RunAsync(args, Console.Out, Console.Error);
}
