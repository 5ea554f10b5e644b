using System.Globalization;
using LoanRecovery.Contracts;

namespace LoanRecovery.PerformanceTracking.Domain;

/// <summary>Strategy <paramref name="First"/> against <paramref name="Second"/> in one band.</summary>
/// <param name="First">The first strategy; differences are first − second.</param>
/// <param name="Second">The second strategy.</param>
/// <param name="FirstEpisodes">Closed episodes of the first strategy.</param>
/// <param name="SecondEpisodes">Closed episodes of the second strategy.</param>
/// <param name="RecoveryRatePoints">Difference in recovery rate (share fully recovered), percentage points, Newcombe 95% CI, z-test.</param>
/// <param name="NetRecoveryPerLoan">Difference in net recovery per loan, currency units, Welch 95% CI and test; null with fewer than two episodes on a side.</param>
public sealed record StrategyComparison(
    RecoveryStrategy First, RecoveryStrategy Second, int FirstEpisodes, int SecondEpisodes,
    Comparison RecoveryRatePoints, Comparison? NetRecoveryPerLoan);

public sealed record BandEffectiveness(RiskBand Band, string BandLabel, IReadOnlyList<GroupFigures> Strategies, IReadOnlyList<StrategyComparison> Comparisons);

/// <summary>Probability thresholds of the risk bands, for wording only (the band itself comes from the score).</summary>
public sealed record BandLabels(double MediumFrom, double HighAbove)
{
    public string Of(RiskBand band) => band switch
    {
        RiskBand.High => string.Create(CultureInfo.InvariantCulture, $"high band (probability above {HighAbove:0.00})"),
        RiskBand.Medium => string.Create(CultureInfo.InvariantCulture, $"medium band (probability {MediumFrom:0.00}–{HighAbove:0.00})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"low band (probability below {MediumFrom:0.00})"),
    };
}

/// <summary>
/// Strategy effectiveness within each risk band (comparing strategies inside a band keeps the risk of the loans comparable;
/// inside a band the champion assigns one strategy, so the others come from the randomised arms).
/// </summary>
public static class Effectiveness
{
    public static IReadOnlyList<BandEffectiveness> ByBand(IReadOnlyList<ClosedEpisode> episodes, BandLabels labels)
    {
        var result = new List<BandEffectiveness>();
        foreach (var band in episodes.GroupBy(e => e.Band).OrderBy(g => g.Key))
        {
            var byStrategy = band.GroupBy(e => e.Strategy).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.ToList());
            var comparisons = new List<StrategyComparison>();
            var keys = byStrategy.Keys.ToList();
            for (int i = 0; i < keys.Count; i++)
                for (int j = i + 1; j < keys.Count; j++)
                    comparisons.Add(Compare(keys[i], byStrategy[keys[i]], keys[j], byStrategy[keys[j]]));
            result.Add(new BandEffectiveness(band.Key, labels.Of(band.Key),
                byStrategy.Select(kv => GroupFigures.Of(kv.Key.ToString(), kv.Value)).ToList(), comparisons));
        }
        return result;
    }

    public static StrategyComparison Compare(RecoveryStrategy first, IReadOnlyList<ClosedEpisode> a, RecoveryStrategy second, IReadOnlyList<ClosedEpisode> b)
    {
        var rate = Statistics.NewcombeDifference(a.Count(e => e.FullyRecovered), a.Count, b.Count(e => e.FullyRecovered), b.Count);
        var points = rate with { Difference = rate.Difference * 100, Low = rate.Low * 100, High = rate.High * 100 };
        Comparison? net = a.Count >= 2 && b.Count >= 2
            ? Statistics.WelchDifference(a.Select(e => (double)e.NetRecovery).ToList(), b.Select(e => (double)e.NetRecovery).ToList())
            : null;
        return new StrategyComparison(first, second, a.Count, b.Count, points, net);
    }
}

/// <summary>A plain-language improvement suggestion and the figures it rests on.</summary>
public sealed record Suggestion(string Text, string Kind, RiskBand? Band, string Better, string Worse, double Difference, double Low, double High, int Episodes);

/// <summary>Suggestions only where a 95% interval excludes zero and both groups have enough episodes.</summary>
public static class Suggestions
{
    public static IReadOnlyList<Suggestion> From(IReadOnlyList<BandEffectiveness> bands, ArmComparison? arms, int minimumGroupSize)
    {
        var list = new List<Suggestion>();
        foreach (var band in bands)
            foreach (var c in band.Comparisons)
            {
                if (c.FirstEpisodes < minimumGroupSize || c.SecondEpisodes < minimumGroupSize || !c.RecoveryRatePoints.ExcludesZero)
                    continue;
                var r = c.RecoveryRatePoints;
                bool firstBetter = r.Difference > 0;
                var (better, worse) = firstBetter ? (c.First, c.Second) : (c.Second, c.First);
                double d = Math.Abs(r.Difference), low = firstBetter ? r.Low : -r.High, high = firstBetter ? r.High : -r.Low;
                int n = c.FirstEpisodes + c.SecondEpisodes;
                list.Add(new Suggestion(
                    string.Create(CultureInfo.InvariantCulture,
                        $"In the {band.BandLabel}, {Words(better)} recovered {d:0} points more than {Words(worse)} (95% CI {low:0}–{high:0}), {n} loans: prefer {Words(better)} there."),
                    "strategy", band.Band, better.ToString(), worse.ToString(), d, low, high, n));
            }
        // The same figure promotion decides on (net recovery rate, in the cells where the policies differ), so that a suggestion
        // never contradicts the stored decision.
        if (arms?.NetRecoveryRatePoints is { ExcludesZero: true } net && arms.ChallengerEpisodes >= minimumGroupSize && arms.ChampionEpisodes >= minimumGroupSize)
        {
            bool challengerBetter = net.Difference > 0;
            string better = challengerBetter ? $"challenger policy {arms.ChallengerVersion}" : $"champion policy {arms.ChampionVersion}";
            string worse = challengerBetter ? $"champion policy {arms.ChampionVersion}" : $"challenger policy {arms.ChallengerVersion}";
            double low = challengerBetter ? net.Low : -net.High, high = challengerBetter ? net.High : -net.Low;
            string where = arms.ComparedCells is { Count: > 0 } cells ? $" in {string.Join("; ", cells)}" : "";
            list.Add(new Suggestion(
                string.Create(CultureInfo.InvariantCulture,
                    $"The {better} recovered {Math.Abs(net.Difference):0.0} points more of each balance, net of contact costs, than the {worse}{where} (95% CI {low:0.0}–{high:0.0}), {arms.ChallengerEpisodes + arms.ChampionEpisodes} loans."),
                "policy", null, better, worse, Math.Abs(net.Difference), low, high, arms.ChallengerEpisodes + arms.ChampionEpisodes));
        }
        return list;
    }

    public static string Words(RecoveryStrategy strategy) => strategy switch
    {
        RecoveryStrategy.LegalAction => "legal action",
        RecoveryStrategy.Settlement => "settlement",
        _ => "reminders",
    };
}
