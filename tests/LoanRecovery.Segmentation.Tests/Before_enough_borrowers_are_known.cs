using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Before_enough_borrowers_are_known(SegmentationFixture service) : IClassFixture<SegmentationFixture>
{
    [Fact]
    public async Task No_model_is_fitted_and_a_refit_is_refused_saying_how_many_are_needed()
    {
        var loans = Portfolio.Loans("FEW").Take(5).ToArray();
        foreach (var loan in loans)
            await service.PublishAsync(loan);
        await service.EventuallyAsync(() => service.Database.ScalarAsync<long>("SELECT count(*) FROM segmentation.loan_position"),
            n => n == loans.Length, "5 loans recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // well past the quiet period

        var segments = await service.Http.GetAsync("/api/segments");
        Assert.Equal(HttpStatusCode.NotFound, segments.StatusCode);
        Assert.Contains("5 borrowers are known", (await segments.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var refit = await service.Http.PostAsync("/api/segments/refit", null);
        Assert.Equal(HttpStatusCode.Conflict, refit.StatusCode);
        Assert.Contains("at least 24", (await refit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(service.Segmented.Messages);

        var borrower = await service.Http.GetFromJsonAsync<JsonElement>($"/api/segments/borrowers/{loans[0].BorrowerId}");
        Assert.Equal(JsonValueKind.Null, borrower.GetProperty("segmentId").ValueKind);
    }
}
