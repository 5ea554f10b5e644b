namespace LoanRecovery.Segmentation.Persistence;

/// <summary>A loan's segmentation figures: as opened, then as the latest payment left them.</summary>
public sealed class LoanPosition
{
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public decimal MonthlyIncome { get; set; }
    public decimal LoanAmount { get; set; }
    public decimal CollateralValue { get; set; }
    public decimal MonthlyEmi { get; set; }
    public decimal Outstanding { get; set; }
    public int MissedPayments { get; set; }
    public int DaysPastDue { get; set; }
    /// <summary>When Ingestion accepted the loan (the event's time).</summary>
    public DateTimeOffset OpenedAt { get; set; }
    /// <summary>Recording time of the latest payment applied; an older one arriving late is ignored.</summary>
    public DateTimeOffset? LastPaymentAt { get; set; }
    /// <summary>When this service received the loan (its own clock): the quiet period is measured from the latest.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>An observed or historical recovery outcome, kept to profile segments.</summary>
public sealed class RecoveryOutcome
{
    public Guid OutcomeId { get; set; }
    public string LoanId { get; set; } = "";
    public string BorrowerId { get; set; } = "";
    public bool Historical { get; set; }
    public string Status { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A fitted segmentation; exactly one is current once the first fit has run.</summary>
public sealed class SegmentModelVersion
{
    public string Version { get; set; } = "";
    public int Number { get; set; }
    public int K { get; set; }
    public double? Silhouette { get; set; }
    public double Inertia { get; set; }
    public string[] FeatureNames { get; set; } = [];
    /// <summary>Standardisation: the portfolio's feature means and standard deviations at fit time.</summary>
    public double[] Means { get; set; } = [];
    public double[] Scales { get; set; } = [];
    /// <summary>Centroids in original units, k × features, row-major.</summary>
    public double[] Centroids { get; set; } = [];
    /// <summary>Centroids as z-scores, k × features, row-major.</summary>
    public double[] ClusteringCentroids { get; set; } = [];
    public string[] Labels { get; set; } = [];
    public int[] Sizes { get; set; } = [];
    /// <summary>Income and loan-amount terciles the labels were worded from.</summary>
    public double[] LabelBasis { get; set; } = [];
    public int RowCount { get; set; }
    public int Seed { get; set; }
    public DateTimeOffset FittedAt { get; set; }
    public bool IsCurrent { get; set; }
}

/// <summary>A borrower's current segment.</summary>
public sealed class SegmentAssignment
{
    public string BorrowerId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public int SegmentId { get; set; }
    public string SegmentLabel { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }
}
