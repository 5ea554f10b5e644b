using LoanRecovery.Ml.Clustering;

namespace LoanRecovery.Segmentation.Domain;

/// <summary>A borrower and their features, the unit k-means clusters.</summary>
public sealed record BorrowerRow(string BorrowerId, BorrowerFeatures Features);

/// <summary>Silhouette and inertia of one k tried while choosing k.</summary>
public sealed record KTried(int K, double Silhouette, double Inertia);

public sealed record FitResult(SegmentModel Model, LabelBasis Basis, IReadOnlyDictionary<string, int> SegmentOf, IReadOnlyList<KTried> Tried);

/// <summary>
/// Fits k-means on the portfolio's borrowers (z-scored features, seeded k-means++ with restarts), numbers the clusters
/// in <see cref="CanonicalOrder"/> and names them. Rows are sorted by borrower id first, so the fit depends on the data
/// only, not on the order borrowers arrived in.
/// </summary>
public static class SegmentFitter
{
    public static FitResult Fit(IReadOnlyList<BorrowerRow> borrowers, FitSettings settings, CancellationToken cancellationToken = default)
    {
        if (borrowers.Count < Math.Max(2, settings.MaxK))
            throw new ArgumentException($"{borrowers.Count} borrowers cannot be split into {settings.MaxK} segments.");
        var sorted = borrowers.OrderBy(b => b.BorrowerId, StringComparer.Ordinal).ToArray();
        var rows = sorted.Select(b => b.Features.ToVector()).ToArray();
        var options = new KMeansOptions { K = settings.MinK, Restarts = settings.Restarts, Seed = settings.Seed, Standardize = true };

        KMeansModel fitted;
        double silhouette;
        var tried = new List<KTried>();
        if (settings.MinK == settings.MaxK)
        {
            fitted = KMeans.Fit(rows, options, cancellationToken: cancellationToken);
            silhouette = Silhouette.Score(fitted, rows, settings.SilhouetteSampleSize, settings.Seed);
            tried.Add(new KTried(fitted.K, silhouette, fitted.Inertia));
        }
        else
        {
            var selection = KSelector.Choose(rows, settings.MinK, settings.MaxK, options, settings.SilhouetteSampleSize, cancellationToken: cancellationToken);
            fitted = selection.Best.Model;
            silhouette = selection.Best.Silhouette;
            tried.AddRange(selection.Candidates.Select(c => new KTried(c.K, c.Silhouette, c.Inertia)));
        }

        var order = CanonicalOrder.Of(Enumerable.Range(0, fitted.K).Select(fitted.Centroid).ToArray());
        var segmentOfCluster = new int[fitted.K];
        for (var i = 0; i < order.Length; i++)
            segmentOfCluster[order[i]] = i + 1;
        var centroids = order.Select(fitted.Centroid).ToArray();
        var clustering = order.Select(fitted.ClusteringCentroid).ToArray();
        var sizes = order.Select(c => fitted.Sizes[c]).ToArray();
        var basis = SegmentLabeller.BasisOf(rows);
        var labels = SegmentLabeller.Label(centroids, clustering, basis, settings.Thresholds);
        var model = new SegmentModel(BorrowerFeatures.Names, fitted.Means!.ToArray(), fitted.Scales!.ToArray(), clustering, centroids,
            labels, sizes, silhouette, fitted.Inertia, rows.Length);

        var segmentOf = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
        for (var i = 0; i < sorted.Length; i++)
            segmentOf[sorted[i].BorrowerId] = segmentOfCluster[fitted.Labels[i]];
        return new FitResult(model, basis, segmentOf, tried);
    }
}
