using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Deciding_what_to_publish
{
    private static readonly SegmentPlacement Current = new(2, "low income, small loan", "seg-v1");

    [Fact]
    public void A_first_segment_is_published() =>
        Assert.Equal(AssignmentChangeKind.Changed, AssignmentChange.Between(null, Current));

    [Fact]
    public void A_new_segment_id_or_name_is_published()
    {
        Assert.Equal(AssignmentChangeKind.Changed, AssignmentChange.Between(Current, Current with { SegmentId = 3 }));
        Assert.Equal(AssignmentChangeKind.Changed, AssignmentChange.Between(Current, Current with { Label = "low income, small loan, behind on payments" }));
    }

    [Fact]
    public void The_same_segment_is_not_published_even_under_a_new_model_version()
    {
        Assert.Equal(AssignmentChangeKind.None, AssignmentChange.Between(Current, Current));
        Assert.Equal(AssignmentChangeKind.ModelOnly, AssignmentChange.Between(Current, Current with { ModelVersion = "seg-v2" }));
    }
}
