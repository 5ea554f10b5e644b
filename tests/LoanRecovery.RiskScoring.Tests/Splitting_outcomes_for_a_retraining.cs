using LoanRecovery.RiskScoring.Domain;

namespace LoanRecovery.RiskScoring.Tests;

public sealed class Splitting_outcomes_for_a_retraining
{
    private static readonly DateTimeOffset Import = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An imported history recorded at once, then live outcomes one a day after it, in recorded order.</summary>
    private static (bool[] Historical, DateTimeOffset[] RecordedAt) HistoryThenLive(int history, int live)
    {
        var historical = Enumerable.Range(0, history + live).Select(i => i < history).ToArray();
        var recordedAt = Enumerable.Range(0, history + live).Select(i => i < history ? Import : Import.AddDays(i - history + 1)).ToArray();
        return (historical, recordedAt);
    }

    [Fact]
    public void With_few_live_outcomes_the_challenger_trains_on_every_outcome_before_the_holdout()
    {
        var (historical, recordedAt) = HistoryThenLive(2000, 200);

        // The champion was trained on the history: every live outcome is newer than its window.
        var split = OutOfTimeSplitter.Choose(historical, recordedAt, Import, outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(TrainingOutcomes.All, split.Outcomes);
        Assert.Equal(Enumerable.Range(2000, 200), split.Holdout);
        Assert.Equal(Enumerable.Range(0, 2000), split.Train);
    }

    [Fact]
    public void Once_enough_live_outcomes_are_left_after_the_holdout_the_history_is_left_out()
    {
        var (historical, recordedAt) = HistoryThenLive(2000, 267);

        var split = OutOfTimeSplitter.Choose(historical, recordedAt, Import, outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        // A quarter of the 267 live outcomes (rounded up), the newest, are held out; the older 200 train.
        Assert.Equal(TrainingOutcomes.Live, split.Outcomes);
        Assert.Equal(Enumerable.Range(2000, 200), split.Train);
        Assert.Equal(Enumerable.Range(2200, 67), split.Holdout);
    }

    [Fact]
    public void One_live_outcome_short_keeps_the_history()
    {
        var (historical, recordedAt) = HistoryThenLive(2000, 266);

        var split = OutOfTimeSplitter.Choose(historical, recordedAt, Import, outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(TrainingOutcomes.All, split.Outcomes);
    }

    [Fact]
    public void The_holdout_holds_only_outcomes_newer_than_the_champions_window()
    {
        var (historical, recordedAt) = HistoryThenLive(2000, 600);

        // A champion trained on live outcomes up to day 580: only the 20 after it can judge it.
        var split = OutOfTimeSplitter.Choose(historical, recordedAt, Import.AddDays(580), outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(TrainingOutcomes.Live, split.Outcomes);
        Assert.Equal(Enumerable.Range(2580, 20), split.Holdout);
        Assert.Equal(580, split.Train.Count);
        Assert.All(split.Holdout, i => Assert.True(recordedAt[i] > Import.AddDays(580)));
    }

    [Fact]
    public void History_imported_after_live_outcomes_is_left_out_of_both_parts_in_live_training()
    {
        // 300 live outcomes, then a late import of 1,000 historical loans.
        var historical = Enumerable.Range(0, 1300).Select(i => i >= 300).ToArray();
        var recordedAt = Enumerable.Range(0, 1300).Select(i => Import.AddDays(i < 300 ? i : 400)).ToArray();

        var split = OutOfTimeSplitter.Choose(historical, recordedAt, DateTimeOffset.MinValue, outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(TrainingOutcomes.Live, split.Outcomes);
        Assert.Equal(Enumerable.Range(0, 225), split.Train);
        Assert.Equal(Enumerable.Range(225, 75), split.Holdout);
    }

    [Fact]
    public void Without_live_outcomes_the_split_is_the_newest_share_of_everything()
    {
        var (historical, recordedAt) = HistoryThenLive(1000, 0);

        var split = OutOfTimeSplitter.Choose(historical, recordedAt, DateTimeOffset.MinValue, outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(TrainingOutcomes.All, split.Outcomes);
        Assert.Equal(750, split.Train.Count);
        Assert.Equal(Enumerable.Range(750, 250), split.Holdout);
    }
}
