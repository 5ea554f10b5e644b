namespace LoanRecovery.FaultTests;

/// <summary>What every fault test expects of the checker's report.</summary>
public static class FaultAssert
{
    /// <summary>
    /// The pipeline settled with every payment recorded, every delinquent payment scored, every score heard, every strategy
    /// tracked and every closed episode's outcome delivered, each once; nothing parked (unless <paramref name="parked"/>
    /// names what must be). The stages must have had work, or the run proves nothing.
    /// </summary>
    public static void NothingLostOrDuplicated(PipelineReport report, IReadOnlyDictionary<string, uint>? parked = null)
    {
        Assert.True(report.SettledWithin, "the pipeline did not settle:\n" + report.Format("(see above)"));
        Assert.True(report.PaymentsSent > 0 && report["scored"].Expected > 0 && report["strategies"].Expected > 0 && report["outcomes"].Expected > 0,
            "the portfolio gave some stage no work:\n" + report.Format("(see above)"));
        Assert.All(report.Stages, s => Assert.Equal(0, s.Lost));
        Assert.All(report.Stages, s => Assert.Equal(0, s.Duplicated));
        Assert.Equal(parked ?? new Dictionary<string, uint>(), report.Parked);
    }
}
