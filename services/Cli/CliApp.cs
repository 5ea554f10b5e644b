using System.CommandLine;
using LoanRecovery.Cli.Commands;

namespace LoanRecovery.Cli;

/// <summary>The <c>loanrecovery</c> command line, runnable in-process with any writers.</summary>
public static class CliApp
{
    /// <summary>Exit code of bad input (missing or malformed data, bad options).</summary>
    public const int BadInput = 2;

    public static RootCommand Build(TextWriter output, TextWriter error, TextReader? input = null)
    {
        Output Make(bool json) => new(output, error, json);
        var root = new RootCommand("loanrecovery: train, evaluate, explain and segment with LoanRecovery's own models; issue development tokens; hash dashboard passwords.");
        root.Subcommands.Add(TrainCommand.Create(Make));
        root.Subcommands.Add(EvaluateCommand.Create(Make));
        root.Subcommands.Add(ExplainCommand.Create(Make));
        root.Subcommands.Add(SegmentCommand.Create(Make));
        root.Subcommands.Add(TokenCommand.Create(output));
        root.Subcommands.Add(DashboardUserCommand.Create(output, input ?? Console.In, error));
        return root;
    }

    /// <summary>Runs one command line; <paramref name="input"/> is standard input (a password for <c>dashboard-user</c>), the console's when null.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader? input = null)
    {
        var root = Build(output, error, input);
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return 130;
        }
    }
}
