using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Testing;
using Microsoft.Playwright;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>One started system for every browser test class (starting it takes most of the project's run time).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSystem>
{
    public const string Name = "Dashboard";
}

/// <summary>The dashboard in Chromium against the real services with a small simulated portfolio, signed in through its page.</summary>
[Collection(DashboardCollection.Name)]
public sealed class Dashboard_in_a_browser(DashboardSystem system)
{

    [Fact]
    public async Task An_officer_claims_a_task_records_a_promise_to_pay_and_the_loan_page_shows_it()
    {
        var page = await system.SignedInPageAsync("officer.ada", "/queue?Status=Open");
        await system.ScreenshotAsync(page, "work-queue");

        var row = page.Locator("tr[data-task]").Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Claim" }) }).First;
        var loanId = await row.GetAttributeAsync("data-loan");
        Assert.False(string.IsNullOrEmpty(loanId));
        await row.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"You claimed the task on loan {loanId}");
        // The service heard the claim from the signed-in officer: the token's subject is her username, its role collector.
        var claim = system.SentRequests.Last(r => r.Method == "POST" && r.Path.EndsWith("/claim"));
        var (identity, failure) = await BearerTokens.Create(TestEnvironment.SigningKey).ValidateAsync(claim.Token ?? "");
        Assert.Null(failure);
        Assert.Equal("officer.ada", identity!.Name);
        Assert.Equal([ServiceRoles.Collector], identity.FindAll(BearerTokens.RoleClaim).Select(c => c.Value));

        var promisedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10));
        await page.GetByLabel("Outcome", new() { Exact = true }).SelectOptionAsync("PromiseToPay");
        await page.GetByLabel("Promised date").FillAsync(promisedOn.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("250.00");
        await page.GetByLabel("Note").FillAsync("Will pay after payday");
        await system.ScreenshotAsync(page, "work-queue-outcome-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record outcome" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Outcome Promise to pay recorded on loan {loanId}");

        await page.GotoAsync($"/loans/{Uri.EscapeDataString(loanId!)}");
        var outcome = page.Locator("#decisions tr[data-type=Outcome]");
        await Assertions.Expect(outcome).ToContainTextAsync("PromiseToPay");
        await Assertions.Expect(outcome).ToContainTextAsync("officer.ada");
        // The rest of the loan page: its payment chart drawn, the current score with four reasons, the strategy and its actions.
        await AssertChartsDrawnAsync(page, expected: 2);
        await Assertions.Expect(page.Locator("#score ol li")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#strategy")).ToContainTextAsync("Actions");
        await Assertions.Expect(page.Locator("#strategy")).ToContainTextAsync(new Regex(@"(Low|Medium|High) band, (early|late) stage"));
        await Assertions.Expect(page.Locator("#decisions tr[data-type=Score]").First).ToContainTextAsync("from model");
        await system.ScreenshotAsync(page, "loan");
    }

    [Fact]
    public async Task An_override_without_a_reason_shows_the_error_next_to_the_reason()
    {
        var page = await system.SignedInPageAsync("officer.bo", "/queue?Status=Open");
        await page.Locator("tr[data-task]").Last.GetByRole(AriaRole.Link, new() { Name = "Open the task" }).ClickAsync();

        await page.GetByLabel("New strategy").SelectOptionAsync("Settlement");
        await page.GetByRole(AriaRole.Button, new() { Name = "Override" }).ClickAsync();

        var message = page.Locator("[data-valmsg-for='OverrideForm.Reason']");
        await Assertions.Expect(message).ToContainTextAsync("An override needs a reason");
        await system.ScreenshotAsync(page, "override-without-reason");
    }

    [Fact]
    public async Task The_what_if_form_returns_a_band_reasons_and_a_strategy_and_names_each_invalid_field()
    {
        var page = await system.SignedInPageAsync("analyst.di", "/whatif");
        await page.GetByRole(AriaRole.Button, new() { Name = "Score" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Age']")).ToContainTextAsync("is required");
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.EmploymentType']")).ToContainTextAsync("is required");
        await system.ScreenshotAsync(page, "what-if-invalid");

        await page.GetByLabel("Age (years)").FillAsync("35");
        await page.GetByLabel("Employment type").SelectOptionAsync("Self-Employed");
        await page.GetByLabel("Monthly income").FillAsync("30000");
        await page.GetByLabel("Dependents").FillAsync("2");
        await page.GetByLabel("Loan amount").FillAsync("900000");
        await page.GetByLabel("Tenure (months)").FillAsync("36");
        await page.GetByLabel("Interest rate (%)").FillAsync("14");
        await page.GetByLabel("Loan type").SelectOptionAsync("Personal");
        await page.GetByLabel("Collateral value").FillAsync("0");
        await page.GetByLabel("Outstanding amount").FillAsync("800000");
        await page.GetByLabel("Monthly instalment (EMI)").FillAsync("30000");
        await page.GetByLabel("Payment history").SelectOptionAsync("Missed");
        await page.GetByLabel("Missed payments").FillAsync("5");
        await page.GetByLabel("Days past due").FillAsync("150");
        await page.GetByRole(AriaRole.Button, new() { Name = "Score" }).ClickAsync();

        await Assertions.Expect(page.Locator("#band")).ToHaveTextAsync(new Regex("^(Low|Medium|High)$"));
        TestContext.Current.TestOutputHelper?.WriteLine(await page.Locator("#whatif-result").InnerTextAsync());
        await Assertions.Expect(page.Locator("#reasons li")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#strategy")).ToHaveTextAsync(new Regex("^(Reminder|Settlement|Legal action)$"));
        await AssertChartsDrawnAsync(page, expected: 1);
        await system.ScreenshotAsync(page, "what-if");
    }

    [Theory]
    [InlineData("/analytics", 5, "analytics")]
    [InlineData("/executive", 4, "executive")]
    public async Task Every_chart_renders_with_data(string path, int charts, string screenshot)
    {
        var page = await system.SignedInPageAsync("exec.eve", path);
        await Assertions.Expect(page.Locator("[data-chart-empty]")).ToHaveCountAsync(0);
        await AssertChartsDrawnAsync(page, charts);
        await Assertions.Expect(page.Locator(".reading")).ToHaveCountAsync(charts);
        await system.ScreenshotAsync(page, screenshot);
    }

    [Fact]
    public async Task The_models_page_shows_the_versions_and_offers_retraining_to_analysts_only()
    {
        var officer = await system.SignedInPageAsync("officer.cy", "/models");
        // Exactly one version is marked champion in the Champion column; it need not be the newest row, since another test
        // of this class may have asked for a retraining that trained a challenger first.
        await Assertions.Expect(officer.Locator("#models tbody tr td:nth-child(6)", new() { HasTextString = "champion" })).ToHaveCountAsync(1);
        await Assertions.Expect(officer.GetByRole(AriaRole.Button, new() { Name = "Retrain now" })).ToHaveCountAsync(0);
        var executive = await system.SignedInPageAsync("exec.eve", "/models");
        await Assertions.Expect(executive.GetByRole(AriaRole.Button, new() { Name = "Retrain now" })).ToHaveCountAsync(0);

        var page = await system.SignedInPageAsync("analyst.di", "/models");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retrain now" })).ToHaveCountAsync(1);
        // The AUC with its interval, the champion's calibration curve and importance have data from the cold-start model.
        foreach (var id in new[] { "model-auc", "calibration", "importance" })
            Assert.True(await DrawnPointsAsync(page.Locator($"#{id}")) > 0, $"the chart {id} drew no data");
        await system.ScreenshotAsync(page, "models");
    }

    [Fact]
    public async Task An_analysts_retrain_reaches_RiskScoring_with_a_token_naming_the_analyst()
    {
        var page = await system.SignedInPageAsync("analyst.di", "/models");
        await page.GetByRole(AriaRole.Button, new() { Name = "Retrain now" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Retrain");

        // RiskScoring records the token's subject as the actor of a retraining. Whether this small portfolio has enough new
        // outcomes to train (200) or not (409) is RiskScoring's answer on the data; what matters here is that it took the
        // dashboard's token as the analyst's (no 401 or 403).
        var retrain = system.SentRequests.Last(r => r.Method == "POST" && r.Path == "/api/models/retrain");
        var (identity, failure) = await BearerTokens.Create(TestEnvironment.SigningKey).ValidateAsync(retrain.Token ?? "");
        Assert.Null(failure);
        Assert.Equal("analyst.di", identity!.Name);
        Assert.Equal([ServiceRoles.Analyst], identity.FindAll(BearerTokens.RoleClaim).Select(c => c.Value));
        Assert.Contains(retrain.Status, new[] { 200, 409 });
    }

    [Theory]
    [InlineData("/queue?Status=Open")]
    [InlineData("/whatif")]
    [InlineData("/analytics")]
    [InlineData("/executive")]
    [InlineData("/models")]
    [InlineData("/signin")]
    public async Task Every_form_field_has_a_label_and_every_control_is_reachable_with_the_keyboard(string path)
    {
        // The work queue's forms are an officer's; the what-if form is an analyst's; the sign-in page is anyone's.
        IPage page;
        if (path == "/signin")
            await (page = await system.NewPageAsync()).GotoAsync(path);
        else
            page = await system.SignedInPageAsync(path.StartsWith("/queue") ? "officer.cy" : "analyst.di", path);
        if (path.StartsWith("/queue"))
            await page.Locator("tr[data-task]").First.GetByRole(AriaRole.Link, new() { Name = "Open the task" }).ClickAsync();

        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                .map(e => e.outerHTML)
            """);
        Assert.Empty(unlabelled);

        // Tab through the page: every visible link, button and field receives the focus, none is skipped.
        var controls = await page.EvaluateAsync<int>("""
            () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
                .filter(e => e.offsetParent !== null && !e.disabled).length
            """);
        var reached = new HashSet<string>();
        await page.EvaluateAsync("() => document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea').forEach((e, i) => e.dataset.kb = i)");
        // A date field takes several presses (day, month, year), so allow more presses than controls; stop once all are reached.
        for (var i = 0; i < controls * 3 && reached.Count < controls; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.dataset.kb || null") is { } kb)
                reached.Add(kb);
        }
        Assert.Equal(controls, reached.Count);
    }

    private static async Task AssertChartsDrawnAsync(IPage page, int expected)
    {
        var charts = page.Locator(".chart[data-chart]");
        await Assertions.Expect(charts).ToHaveCountAsync(expected);
        for (var i = 0; i < expected; i++)
        {
            var chart = charts.Nth(i);
            var id = await chart.GetAttributeAsync("id");
            Assert.True(await DrawnPointsAsync(chart) > 0, $"the chart {id} drew no data");
            await Assertions.Expect(chart.Locator("canvas").First).ToBeVisibleAsync();
        }
    }

    /// <summary>How many data points ECharts holds in the chart's series, read from the instance itself.</summary>
    private static async Task<int> DrawnPointsAsync(ILocator chart)
    {
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-rendered-points", new Regex("^[0-9]+$"));
        return await chart.EvaluateAsync<int>("""
            el => (echarts.getInstanceByDom(el).getOption().series || []).reduce((n, s) => n + (s.data || []).length, 0)
            """);
    }
}
