namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>
/// One thing wrong with a request: the field at fault (a JSON body field by its API name such as <c>amountPaid</c> or
/// <c>document.legalAbove</c>, a query or route parameter, <c>body</c> for the body as a whole, <c>Content-Type</c>) and why.
/// </summary>
/// <param name="Field">The field at fault.</param>
/// <param name="Reason">What is wrong, in words, for whoever sent the request (it may quote what they sent).</param>
/// <param name="LogSafeReason">The same without anything the caller sent, for logs: values can be personal data.</param>
public sealed record RequestError(string Field, string Reason, string LogSafeReason)
{
    public RequestError(string field, string reason) : this(field, reason, reason) { }
}

/// <summary>A request refused before its endpoint ran: the status, a title, and the errors keyed by field.</summary>
public sealed record RequestProblem(int Status, string Title, IReadOnlyList<RequestError> Errors)
{
    /// <summary>The <c>errors</c> member of the problem, in the shape of the endpoints' own validation problems.</summary>
    public Dictionary<string, string[]> ErrorsByField() =>
        Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming every field and reason, without the values.</summary>
    public string ToLogSafeString() => string.Join("; ", Errors.Select(e => $"{e.Field}: {e.LogSafeReason}"));
}
