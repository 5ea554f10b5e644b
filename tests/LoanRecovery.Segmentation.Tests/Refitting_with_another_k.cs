using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Refitting_with_another_k(SegmentedPortfolioFixture service) : IClassFixture<SegmentedPortfolioFixture>
{
    private async Task<JsonElement> RefitAsync(string body)
    {
        var response = await service.Http.PostAsync("/api/segments/refit", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_new_version_is_stored_and_only_borrowers_whose_segment_changed_are_published()
    {
        await service.Segmented.SettleAsync(TimeSpan.FromMilliseconds(500));
        var before = service.Segmented.Messages.Count;
        var first = (await service.SegmentsAsync()).GetProperty("modelVersion").GetString();

        var five = await RefitAsync("""{ "k": 5 }""");

        Assert.Equal("Fitted", five.GetProperty("status").GetString());
        Assert.Equal(first, five.GetProperty("previousVersion").GetString());
        Assert.Equal(5, five.GetProperty("k").GetInt32());
        var published = five.GetProperty("published").GetInt32();
        Assert.InRange(published, 1, service.Borrowers);
        var messages = await service.Segmented.WaitForAsync(before + published, SegmentationFixture.Wait);
        await service.Segmented.SettleAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(before + published, service.Segmented.Messages.Count);
        Assert.All(messages.Skip(before), m => Assert.Equal(five.GetProperty("modelVersion").GetString(), m.GetProperty("segmentModelVersion").GetString()));
        var segments = await service.SegmentsAsync();
        Assert.Equal(5, segments.GetProperty("k").GetInt32());
        Assert.Equal(service.Borrowers, segments.GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("size").GetInt32()));

        // Four kinds of borrower: choosing k by silhouette over 2..6 finds 4 again, with the names of the first model.
        var chosen = await RefitAsync("""{ "kRange": "2..6" }""");

        Assert.Equal(4, chosen.GetProperty("k").GetInt32());
        Assert.Equal(5, chosen.GetProperty("tried").GetArrayLength());
        var labels = (await service.SegmentsAsync()).GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("label").GetString()).ToArray();
        Assert.Equal(4, labels.Distinct().Count());
    }
}
