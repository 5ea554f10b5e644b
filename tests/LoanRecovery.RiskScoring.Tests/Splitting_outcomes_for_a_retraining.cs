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

    // A champion trained on the imported history (its window ends at the import) unless there is none yet. With a
    // minimum of 200 live training rows and a quarter held out, 267 live outcomes are the fewest that leave 200.
    [Theory]
    [InlineData(2000, 200, true, TrainingOutcomes.All, 0, 2000, 2000, 200)] // every live outcome is held out; the history trains
    [InlineData(2000, 266, true, TrainingOutcomes.All, 0, 2000, 2000, 266)] // 67 held out would leave 199: one short
    [InlineData(2000, 267, true, TrainingOutcomes.Live, 2000, 200, 2200, 67)] // the newest quarter judges, the older 200 train
    [InlineData(1000, 0, false, TrainingOutcomes.All, 0, 750, 750, 250)] // no live outcome: the newest quarter of everything
    public void Which_outcomes_train_and_which_judge_depends_on_how_many_live_outcomes_there_are(
        int history, int live, bool championTrainedOnHistory, TrainingOutcomes expected, int trainFrom, int trainCount, int holdoutFrom, int holdoutCount)
    {
        var (historical, recordedAt) = HistoryThenLive(history, live);

        var split = OutOfTimeSplitter.Choose(historical, recordedAt, championTrainedOnHistory ? Import : DateTimeOffset.MinValue,
            outOfTimeFraction: 0.25, minimumLiveTrainingRows: 200);

        Assert.Equal(expected, split.Outcomes);
        Assert.Equal(Enumerable.Range(trainFrom, trainCount), split.Train);
        Assert.Equal(Enumerable.Range(holdoutFrom, holdoutCount), split.Holdout);
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
}
