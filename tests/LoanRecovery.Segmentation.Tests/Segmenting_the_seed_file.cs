using System.Globalization;
using System.Text.RegularExpressions;
using LoanRecovery.Contracts;
using LoanRecovery.Testing;

namespace LoanRecovery.Segmentation.Tests;

/// <summary>The public seed file's 500 borrowers, streamed in as LoanOpened with their historical outcomes.</summary>
public sealed class SeedFileFixture : SegmentationFixture
{
    /// <summary>All of the file, so the segments do not depend on how far the stream got when the machine paused.</summary>
    protected override int MinBorrowersToFit => 500;
}

public sealed partial class Segmenting_the_seed_file(SeedFileFixture service) : IClassFixture<SeedFileFixture>
{
    [GeneratedRegex("^[a-z][a-z ,-]*[a-z]$")]
    private static partial Regex Words();

    [Fact]
    public async Task Its_500_borrowers_fall_into_4_named_segments_with_their_observed_recovery()
    {
        var path = TestEnvironment.SeedFile;
        Assert.SkipWhen(path is null, TestEnvironment.SeedFileMissing);
        var rows = (await File.ReadAllLinesAsync(path!)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var now = DateTimeOffset.UtcNow;

        await Task.WhenAll(rows.Select(r => service.PublishAsync(new LoanOpened(r[6], r[0], Int(r[1]), r[2], r[3], Dec(r[4]), Int(r[5]), Dec(r[7]),
            Int(r[8]), Dec(r[9]), r[10], Dec(r[11]), Dec(r[12]), Dec(r[13]), null, Int(r[16]), Int(r[15]), r[14], now))));
        await Task.WhenAll(rows.Select(r => service.PublishAsync(new RecoveryOutcomeRecorded(Guid.NewGuid(), r[6], r[0], true, Status(r[17]),
            null, null, null, null, r[19], Int(r[18]), r[20] == "Yes", null, null, null, new Dictionary<string, double?>(), now))));

        var messages = await service.Segmented.WaitForAsync(rows.Length, TimeSpan.FromSeconds(60));
        Assert.Equal(rows.Length, messages.Select(m => m.GetProperty("borrowerId").GetString()).Distinct().Count());
        var segments = await service.EventuallyAsync(service.SegmentsAsync,
            s => s.GetProperty("segments").EnumerateArray().Sum(p => p.GetProperty("outcomes").GetInt32()) == rows.Length, "500 outcomes profiled");

        Assert.Equal(4, segments.GetProperty("k").GetInt32());
        var profiles = segments.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, profiles.Sum(p => p.GetProperty("size").GetInt32()));
        var labels = profiles.Select(p => p.GetProperty("label").GetString()!).ToArray();
        Assert.Equal(4, labels.Distinct().Count());
        Assert.All(labels, l => Assert.Matches(Words(), l));
        var notFull = rows.Count(r => r[17] != "Fully Recovered");
        Assert.Equal((double)notFull / rows.Length,
            profiles.Sum(p => p.GetProperty("notFullyRecoveredShare").GetDouble() * p.GetProperty("outcomes").GetInt32()) / rows.Length, 9);
        foreach (var p in profiles)
            TestContext.Current.SendDiagnosticMessage("{0}: {1} borrowers, {2:P0} not fully recovered", p.GetProperty("label").GetString(),
                p.GetProperty("size").GetInt32(), p.GetProperty("notFullyRecoveredShare").GetDouble());
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
    private static decimal Dec(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static RecoveryStatus Status(string s) => s switch
    {
        "Fully Recovered" => RecoveryStatus.FullyRecovered,
        "Partially Recovered" => RecoveryStatus.PartiallyRecovered,
        _ => RecoveryStatus.WrittenOff,
    };
}
