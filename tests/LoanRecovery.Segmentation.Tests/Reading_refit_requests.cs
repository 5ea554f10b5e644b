using LoanRecovery.Segmentation.Domain;

namespace LoanRecovery.Segmentation.Tests;

public sealed class Reading_refit_requests
{
    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    public void No_body_means_the_configured_k(string body)
    {
        var (k, range, errors) = RefitRequestParser.Parse(body);

        Assert.Null(k);
        Assert.Null(range);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_k_or_a_range_is_read()
    {
        Assert.Equal(5, RefitRequestParser.Parse("""{ "k": 5 }""").K);
        Assert.Equal((2, 8), RefitRequestParser.Parse("""{ "kRange": "2..8" }""").Range);
    }

    [Theory]
    [InlineData("""{ "k": 1 }""", "k")]
    [InlineData("""{ "k": "five" }""", "k")]
    [InlineData("""{ "k": 4.5 }""", "k")]
    [InlineData("""{ "kRange": "8..2" }""", "kRange")]
    [InlineData("""{ "kRange": "two to eight" }""", "kRange")]
    [InlineData("""{ "k": 4, "kRange": "2..8" }""", "kRange")]
    [InlineData("""{ "clusters": 4 }""", "clusters")]
    [InlineData("""[4]""", "body")]
    [InlineData("""{ "k": """, "body")]
    public void An_invalid_request_names_the_field(string body, string field)
    {
        var errors = RefitRequestParser.Parse(body).Errors;

        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
    }
}
