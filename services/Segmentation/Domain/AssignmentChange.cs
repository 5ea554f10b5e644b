namespace LoanRecovery.Segmentation.Domain;

/// <summary>A borrower's segment as stored: id and label within a model version.</summary>
public sealed record SegmentPlacement(int SegmentId, string Label, string ModelVersion);

public enum AssignmentChangeKind
{
    /// <summary>Same segment, same model: nothing to write.</summary>
    None,
    /// <summary>Same segment id and name under a newer model: the row follows the model, nobody is told.</summary>
    ModelOnly,
    /// <summary>First segment, or a different id or name: stored and published as <c>BorrowerSegmented</c>.</summary>
    Changed,
}

public static class AssignmentChange
{
    /// <summary>
    /// Whether a new placement is news. A refit that keeps a borrower in a segment with the same id and name changes
    /// nothing downstream cares about, so it is not published; a new id or a new name is.
    /// </summary>
    public static AssignmentChangeKind Between(SegmentPlacement? current, SegmentPlacement next)
    {
        if (current is null || current.SegmentId != next.SegmentId || !string.Equals(current.Label, next.Label, StringComparison.Ordinal))
            return AssignmentChangeKind.Changed;
        return string.Equals(current.ModelVersion, next.ModelVersion, StringComparison.Ordinal)
            ? AssignmentChangeKind.None
            : AssignmentChangeKind.ModelOnly;
    }
}
