namespace LoanRecovery.Ingestion.Domain;

/// <summary>Validation errors keyed by field name, in the order they were found.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _logSafe = [];

    public bool IsEmpty => _errors.Count == 0;

    /// <param name="field">The field (or column) at fault.</param>
    /// <param name="reason">What is wrong, in words, as shown to whoever sent the data (it may quote the value).</param>
    /// <param name="logSafeReason">The same without the value, for logs and fault headers: values can be personal data.</param>
    public void Add(string field, string reason, string? logSafeReason = null)
    {
        if (!_errors.TryGetValue(field, out var reasons))
            _errors[field] = reasons = [];
        reasons.Add(reason);
        _logSafe.Add($"{field}: {logSafeReason ?? reason}");
    }

    public IEnumerable<(string Field, string Reason)> All =>
        _errors.SelectMany(e => e.Value.Select(reason => (e.Key, reason)));

    /// <summary>The shape <c>Results.ValidationProblem</c> expects.</summary>
    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>One line naming every field and rule, without the values: the fault reason of a message that cannot be processed.</summary>
    public string ToLogSafeString() => string.Join("; ", _logSafe);

    public override string ToString() => ToLogSafeString();
}
