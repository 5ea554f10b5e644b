namespace LoanRecovery.RiskScoring.Domain;

/// <summary>Which outcomes a challenger is trained on.</summary>
public enum TrainingOutcomes
{
    /// <summary>Every outcome: imported history and the system's own episodes together.</summary>
    All,

    /// <summary>Only the episodes the system closed itself; imported history left out.</summary>
    Live,
}

/// <summary>Positions (in recorded order) of the outcomes a challenger trains on and of those it and the champion are judged on.</summary>
public sealed record OutOfTimeSplit(IReadOnlyList<int> Train, IReadOnlyList<int> Holdout, TrainingOutcomes Outcomes);

/// <summary>
/// Splits the outcomes for a retraining. The holdout is always the newest outcomes, and only ones recorded after the
/// champion's training window, so the champion is judged on outcomes it never saw.
/// <para>
/// Imported history and live episodes answer different questions. A historical outcome is the loan's state at the end
/// of the book's term, with the loan's features at import; a live outcome is whether an episode's arrears cleared within
/// the observation window, with the features the strategy was decided on. Mixed, the history outnumbers the live
/// episodes for many months, and while the champion is the model trained on the history every live outcome is newer
/// than its window: all of them fell in the holdout and the challenger learned the history's label alone. So once
/// enough live outcomes would be left for training, a challenger trains and is judged on live outcomes only.
/// </para>
/// </summary>
public static class OutOfTimeSplitter
{
    /// <param name="historical">Per outcome, in recorded order: whether it was imported history.</param>
    /// <param name="recordedAt">Per outcome, in recorded order: when it was recorded.</param>
    /// <param name="championWindowEnd">The last recording time the champion was trained on (the minimum without a champion).</param>
    /// <param name="outOfTimeFraction">The share of the outcomes drawn on that is held out.</param>
    /// <param name="minimumLiveTrainingRows">Live outcomes needed for training, after the holdout, before history is left out.</param>
    public static OutOfTimeSplit Choose(IReadOnlyList<bool> historical, IReadOnlyList<DateTimeOffset> recordedAt, DateTimeOffset championWindowEnd,
        double outOfTimeFraction, int minimumLiveTrainingRows)
    {
        if (historical.Count != recordedAt.Count)
            throw new ArgumentException("One recording time is needed per outcome.", nameof(recordedAt));
        var live = Enumerable.Range(0, historical.Count).Where(i => !historical[i]).ToList();
        var liveSplit = Split(live, recordedAt, championWindowEnd, outOfTimeFraction, TrainingOutcomes.Live);
        return liveSplit.Train.Count >= minimumLiveTrainingRows
            ? liveSplit
            : Split(Enumerable.Range(0, historical.Count).ToList(), recordedAt, championWindowEnd, outOfTimeFraction, TrainingOutcomes.All);
    }

    private static OutOfTimeSplit Split(List<int> drawnOn, IReadOnlyList<DateTimeOffset> recordedAt, DateTimeOffset championWindowEnd,
        double outOfTimeFraction, TrainingOutcomes outcomes)
    {
        var unseen = drawnOn.Count(i => recordedAt[i] > championWindowEnd);
        var holdout = Math.Min(unseen, (int)Math.Ceiling(drawnOn.Count * outOfTimeFraction));
        var cut = drawnOn.Count - holdout;
        return new OutOfTimeSplit(drawnOn[..cut], drawnOn[cut..], outcomes);
    }
}
