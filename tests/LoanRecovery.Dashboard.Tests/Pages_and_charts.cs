using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using LoanRecovery.Dashboard.Charts;
using LoanRecovery.Dashboard.Clients;
using LoanRecovery.Dashboard.Pages;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Configuration;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>The dashboard's plain classes, without a browser or a service.</summary>
public sealed class Pages_and_charts
{
    [Fact]
    public void A_withdrawn_champion_shows_as_not_usable_with_when_and_why()
    {
        var withdrawn = new ModelSummary("risk-0001", DateTimeOffset.UnixEpoch, 2000, 0.958, 0.95, 0.96, false, "Usable: holdout AUC 0.96", true,
            DateTimeOffset.UnixEpoch, "statement", null, new DateTimeOffset(2026, 11, 22, 17, 39, 0, TimeSpan.Zero),
            "Withdrawn by risk-0002's retraining: on the newest 50 outcomes recorded since its training window, Not usable: holdout AUC 0.50.");

        Assert.Equal("no: withdrawn 2026-11-22 17:39. Withdrawn by risk-0002's retraining: on the newest 50 outcomes recorded since its training window, Not usable: holdout AUC 0.50.",
            ModelsModel.UsableText(withdrawn));
        Assert.Equal("no", ModelsModel.UsableText(withdrawn with { WithdrawnAt = null, WithdrawnReason = null }));
        Assert.Equal("yes", ModelsModel.UsableText(withdrawn with { Usable = true, WithdrawnAt = null }));
    }

    [Fact]
    public void The_notice_after_a_retraining_names_a_withdrawal()
    {
        var withdrawal = JsonDocument.Parse("""{"reason":"Challenger not promoted: Not usable.","championWithdrawn":"Withdrawn by risk-0002's retraining."}""").RootElement;
        var plain = JsonDocument.Parse("""{"reason":"Challenger not promoted: Not usable.","championWithdrawn":null}""").RootElement;

        Assert.Equal("Challenger not promoted: Not usable. The champion: Withdrawn by risk-0002's retraining.", ModelsModel.Describe(withdrawal));
        Assert.Equal("Challenger not promoted: Not usable.", ModelsModel.Describe(plain));
    }

    [Fact]
    public void An_api_field_error_goes_next_to_its_form_field_and_the_rest_to_the_form_summary()
    {
        var modelState = new ModelStateDictionary();
        var result = new ApiResult<TaskView>(null, HttpStatusCode.BadRequest, "The outcome is not valid", null, new Dictionary<string, string[]>
        {
            ["promisedDate"] = ["The promised date cannot be in the past"],
            ["officer"] = ["The officer identifier is required"],
        });

        ApiErrors.AddTo(modelState, "OutcomeForm", result, ["Outcome", "PromisedDate", "Amount", "Note"]);

        Assert.Equal("Promised date: The promised date cannot be in the past", Assert.Single(modelState["OutcomeForm.PromisedDate"]!.Errors).ErrorMessage);
        Assert.Equal("The outcome is not valid officer: The officer identifier is required", Assert.Single(modelState["OutcomeForm"]!.Errors).ErrorMessage);
    }

    [Fact]
    public void Service_addresses_come_from_the_service_discovery_keys_and_must_be_absolute_urls()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:ingestion:http:0"] = "http://127.0.0.1:5101",
            ["services:segmentation:http:0"] = "http://127.0.0.1:5102",
            ["services:riskscoring:http:0"] = "not a url",
            ["services:strategyassignment:http:0"] = "http://127.0.0.1:5104",
        }).Build();
        var addresses = new ServiceAddresses();

        ServiceAddresses.Bind(addresses, configuration);
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(addresses, new ValidationContext(addresses), errors, validateAllProperties: true);

        Assert.Equal("http://127.0.0.1:5101", addresses.Ingestion);
        Assert.Equal(["PerformanceTracking", "RiskScoring"], errors.SelectMany(e => e.MemberNames).Order());
    }

    [Fact]
    public void Status_charts_compare_shares_within_each_category_and_name_the_worst_one()
    {
        var analytics = new PortfolioAnalytics(10, 10, [], [],
            [
                new CategoryStatusCount("On-Time", "FullyRecovered", 6), new CategoryStatusCount("Missed", "FullyRecovered", 1),
                new CategoryStatusCount("Missed", "WrittenOff", 3),
            ], [], [], [], 300);

        var chart = AnalyticsCharts.Build(analytics).Single(c => c.Id == "payment-history-vs-status");
        var option = JsonDocument.Parse(chart.OptionJson).RootElement;

        Assert.Equal(3, chart.Points);
        Assert.Equal("Of 10 loans with an outcome, 'Missed' has the lowest share fully recovered (25.0% of 4).", chart.Reading);
        var fully = option.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Fully recovered");
        Assert.Equal([1.0, 0.25], fully.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void An_analytics_chart_without_data_says_so_instead_of_drawing_an_empty_frame()
    {
        var charts = AnalyticsCharts.Build(new PortfolioAnalytics(0, 0, [], [], [], [], [], [], 300));

        Assert.All(charts, c => Assert.False(c.HasData));
        Assert.Equal("No loan has a recorded outcome yet.", charts.Single(c => c.Id == "missed-payments-vs-status").Reading);
    }

    [Fact]
    public void The_chart_option_cannot_close_its_script_element()
    {
        var chart = LoanCharts.Reasons("r", [new ReasonCode("loan_type", "</script><script>alert(1)</script>", 0.2, "text")]);

        // The label reads back exactly, but the raw JSON embedded in the page never holds "</".
        Assert.Equal("loan_type = </script><script>alert(1)</script>",
            JsonDocument.Parse(chart.OptionJson).RootElement.GetProperty("yAxis").GetProperty("data")[0].GetString());
        Assert.DoesNotContain("</", chart.OptionJson);
    }
}
