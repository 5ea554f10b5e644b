namespace LoanRecovery.Cli;

/// <summary>Bad input or an impossible request: reported as one line on standard error, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
