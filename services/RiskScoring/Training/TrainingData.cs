using System.Text.Json;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Training;

/// <summary>
/// Outcomes in the order they were recorded, each with its recording time (for out-of-time splits) and whether it was
/// imported history.
/// </summary>
public sealed record TrainingSet(IReadOnlyList<TrainingExample> Examples, IReadOnlyList<DateTimeOffset> RecordedAt, IReadOnlyList<bool> Historical,
    DateTimeOffset From, DateTimeOffset To, int WithoutFeatures);

public static class TrainingData
{
    /// <summary>
    /// Every outcome with the features it was decided on: those the outcome carries, else (historical outcomes)
    /// the loan's features when it entered the system. An outcome for a loan never seen has no features and is
    /// counted, not used.
    /// </summary>
    public static async Task<TrainingSet> LoadAsync(RiskDbContext db, CancellationToken cancellationToken)
    {
        var rows = await (
            from example in db.TrainingExamples.AsNoTracking()
            join loan in db.Loans.AsNoTracking() on example.LoanId equals loan.LoanId into loans
            from loan in loans.DefaultIfEmpty()
            orderby example.RecordedAt, example.LoanId, example.OutcomeId
            select new { example.Features, Initial = loan == null ? null : loan.InitialFeatures, example.NotFullyRecovered, example.RecordedAt, example.Historical })
            .ToListAsync(cancellationToken);
        var examples = new List<TrainingExample>(rows.Count);
        var recordedAt = new List<DateTimeOffset>(rows.Count);
        var historical = new List<bool>(rows.Count);
        var withoutFeatures = 0;
        foreach (var row in rows)
        {
            var json = row.Features is { Length: > 2 } own ? own : row.Initial;
            if (json is null)
            {
                withoutFeatures++;
                continue;
            }
            examples.Add(new TrainingExample(JsonSerializer.Deserialize<Dictionary<string, double?>>(json)!, row.NotFullyRecovered));
            recordedAt.Add(row.RecordedAt);
            historical.Add(row.Historical);
        }
        var from = rows.Count > 0 ? rows[0].RecordedAt : DateTimeOffset.MinValue;
        var to = rows.Count > 0 ? rows[^1].RecordedAt : DateTimeOffset.MinValue;
        return new TrainingSet(examples, recordedAt, historical, from, to, withoutFeatures);
    }
}
