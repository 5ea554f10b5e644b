namespace LoanRecovery.Ingestion.Domain;

/// <summary>Validation errors keyed by field name, in the order they were found.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
            _errors[field] = reasons = [];
        reasons.Add(reason);
    }

    public IEnumerable<(string Field, string Reason)> All =>
        _errors.SelectMany(e => e.Value.Select(reason => (e.Key, reason)));

    /// <summary>The shape <c>Results.ValidationProblem</c> expects.</summary>
    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>One line naming every field: used as the fault reason of a message that cannot be processed.</summary>
    public override string ToString() => string.Join("; ", All.Select(e => $"{e.Field}: {e.Reason}"));
}
