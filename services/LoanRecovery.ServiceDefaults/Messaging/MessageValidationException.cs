namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>
/// A message that can never be processed as it is (malformed or invalid fields). It is not retried: it goes
/// straight to the endpoint's <c>_error</c> queue carrying this message as the fault reason.
/// </summary>
public sealed class MessageValidationException(string message) : Exception(message);
